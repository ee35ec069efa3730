
use builtin;
use str;

set edit:completion:arg-completer[cfgctl] = {|@words|
    fn spaces {|n|
        builtin:repeat $n ' ' | str:join ''
    }
    fn cand {|text desc|
        edit:complex-candidate $text &display=$text' '(spaces (- 14 (wcswidth $text)))$desc
    }
    var command = 'cfgctl'
    for word $words[1..-1] {
        if (str:has-prefix $word '-') {
            break
        }
        set command = $command';'$word
    }
    var completions = [
        &'cfgctl'= {
            cand -C 'Run as if started in DIR (the repository root is found from there)'
            cand --format 'Output format'
            cand --color 'When to colour human output (NO_COLOR is honoured with auto)'
            cand -q 'Print nothing but findings and errors'
            cand --quiet 'Print nothing but findings and errors'
            cand -v 'Print more about what is being done'
            cand --verbose 'Print more about what is being done'
            cand -h 'Print help (see more with ''--help'')'
            cand --help 'Print help (see more with ''--help'')'
            cand -V 'Print version'
            cand --version 'Print version'
            cand init 'Create a configuration repository from the built-in template'
            cand validate 'Check configuration files against their schemas and the built-in rules'
            cand completions 'Print a shell completion script'
            cand man 'Print the man page (or write every page to a directory)'
            cand help 'Print this message or the help of the given subcommand(s)'
        }
        &'cfgctl;init'= {
            cand -C 'Run as if started in DIR (the repository root is found from there)'
            cand --format 'Output format'
            cand --color 'When to colour human output (NO_COLOR is honoured with auto)'
            cand --force 'Overwrite template files that already exist in DIR'
            cand --no-commit 'Write the files but do not create a Git repository or commit'
            cand -q 'Print nothing but findings and errors'
            cand --quiet 'Print nothing but findings and errors'
            cand -v 'Print more about what is being done'
            cand --verbose 'Print more about what is being done'
            cand -h 'Print help (see more with ''--help'')'
            cand --help 'Print help (see more with ''--help'')'
            cand -V 'Print version'
            cand --version 'Print version'
        }
        &'cfgctl;validate'= {
            cand --changed-since 'Check only files changed since REV (plus what cross-environment rules compare them with)'
            cand --schema 'Check PATHs against this one schema, without a cfgctl.toml'
            cand -C 'Run as if started in DIR (the repository root is found from there)'
            cand --format 'Output format'
            cand --color 'When to colour human output (NO_COLOR is honoured with auto)'
            cand --staged 'Check what is staged in the Git index, not the working tree (for pre-commit hooks)'
            cand --deny-warnings 'Exit 1 on warnings too'
            cand -q 'Print nothing but findings and errors'
            cand --quiet 'Print nothing but findings and errors'
            cand -v 'Print more about what is being done'
            cand --verbose 'Print more about what is being done'
            cand -h 'Print help (see more with ''--help'')'
            cand --help 'Print help (see more with ''--help'')'
            cand -V 'Print version'
            cand --version 'Print version'
        }
        &'cfgctl;completions'= {
            cand -C 'Run as if started in DIR (the repository root is found from there)'
            cand --format 'Output format'
            cand --color 'When to colour human output (NO_COLOR is honoured with auto)'
            cand -q 'Print nothing but findings and errors'
            cand --quiet 'Print nothing but findings and errors'
            cand -v 'Print more about what is being done'
            cand --verbose 'Print more about what is being done'
            cand -h 'Print help (see more with ''--help'')'
            cand --help 'Print help (see more with ''--help'')'
            cand -V 'Print version'
            cand --version 'Print version'
        }
        &'cfgctl;man'= {
            cand --output-dir 'Write cfgctl.1 and one page per subcommand (cfgctl-validate.1, …) into DIR'
            cand -C 'Run as if started in DIR (the repository root is found from there)'
            cand --format 'Output format'
            cand --color 'When to colour human output (NO_COLOR is honoured with auto)'
            cand -q 'Print nothing but findings and errors'
            cand --quiet 'Print nothing but findings and errors'
            cand -v 'Print more about what is being done'
            cand --verbose 'Print more about what is being done'
            cand -h 'Print help (see more with ''--help'')'
            cand --help 'Print help (see more with ''--help'')'
            cand -V 'Print version'
            cand --version 'Print version'
        }
        &'cfgctl;help'= {
            cand init 'Create a configuration repository from the built-in template'
            cand validate 'Check configuration files against their schemas and the built-in rules'
            cand completions 'Print a shell completion script'
            cand man 'Print the man page (or write every page to a directory)'
            cand help 'Print this message or the help of the given subcommand(s)'
        }
        &'cfgctl;help;init'= {
        }
        &'cfgctl;help;validate'= {
        }
        &'cfgctl;help;completions'= {
        }
        &'cfgctl;help;man'= {
        }
        &'cfgctl;help;help'= {
        }
    ]
    $completions[$command]
}
