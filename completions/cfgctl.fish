# Print an optspec for argparse to handle cmd's options that are independent of any subcommand.
function __fish_cfgctl_global_optspecs
    string join \n C= format= color= q/quiet h/help V/version
end

function __fish_cfgctl_needs_command
    # Figure out if the current invocation already has a command.
    set -l cmd (commandline -opc)
    set -e cmd[1]
    argparse -s (__fish_cfgctl_global_optspecs) -- $cmd 2>/dev/null
    or return
    if set -q argv[1]
        # Also print the command, so this can be used to figure out what it is.
        echo $argv[1]
        return 1
    end
    return 0
end

function __fish_cfgctl_using_subcommand
    set -l cmd (__fish_cfgctl_needs_command)
    test -z "$cmd"
    and return 1
    contains -- $cmd[1] $argv
end

complete -c cfgctl -n "__fish_cfgctl_needs_command" -s C -d 'Run as if started in DIR (the repository root is found from there)' -r -F
complete -c cfgctl -n "__fish_cfgctl_needs_command" -l format -d 'Output format' -r -f -a "human\t'Readable text, coloured on a terminal'
json\t'One JSON document per run (`"version": 1`)'
github\t'GitHub Actions workflow annotations (findings only)'
junit\t'JUnit XML for CI test reports (findings only)'
gitlab\t'GitLab Code Quality report, JSON (findings only)'"
complete -c cfgctl -n "__fish_cfgctl_needs_command" -l color -d 'When to colour human output (NO_COLOR is honoured with auto)' -r -f -a "auto\t'Colour when stdout is a terminal and NO_COLOR is unset'
always\t''
never\t''"
complete -c cfgctl -n "__fish_cfgctl_needs_command" -s q -l quiet -d 'Print nothing but results, findings, blockers and errors (no status lines, notes, summaries or progress)'
complete -c cfgctl -n "__fish_cfgctl_needs_command" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c cfgctl -n "__fish_cfgctl_needs_command" -s V -l version -d 'Print version'
complete -c cfgctl -n "__fish_cfgctl_needs_command" -f -a "init" -d 'Create a configuration repository from the built-in template'
complete -c cfgctl -n "__fish_cfgctl_needs_command" -f -a "validate" -d 'Check configuration files against their schemas and the built-in rules'
complete -c cfgctl -n "__fish_cfgctl_needs_command" -f -a "render" -d 'Print an environment\'s configuration with every layer merged'
complete -c cfgctl -n "__fish_cfgctl_needs_command" -f -a "get" -d 'Print one key of an environment\'s rendered configuration, and where it came from'
complete -c cfgctl -n "__fish_cfgctl_needs_command" -f -a "set" -d 'Set one key in a configuration file, keeping its comments and formatting'
complete -c cfgctl -n "__fish_cfgctl_needs_command" -f -a "unset" -d 'Remove one key from a configuration file, keeping its comments and formatting'
complete -c cfgctl -n "__fish_cfgctl_needs_command" -f -a "diff" -d 'Compare configuration key by key: environments, revisions, or files'
complete -c cfgctl -n "__fish_cfgctl_needs_command" -f -a "drift" -d 'Compare what the repository says an environment is with a deployed copy'
complete -c cfgctl -n "__fish_cfgctl_needs_command" -f -a "env" -d 'The environments: list them in promotion order with what belongs to each'
complete -c cfgctl -n "__fish_cfgctl_needs_command" -f -a "promote" -d 'Copy configuration from one environment to the next, keeping pinned keys'
complete -c cfgctl -n "__fish_cfgctl_needs_command" -f -a "status" -d 'Show each environment\'s last change, last promotion and what is not promoted yet'
complete -c cfgctl -n "__fish_cfgctl_needs_command" -f -a "log" -d 'Show the history of configuration changes, read from commits and their trailers'
complete -c cfgctl -n "__fish_cfgctl_needs_command" -f -a "blame" -d 'Per key of a rendered document: the commit, author and date that last changed its value'
complete -c cfgctl -n "__fish_cfgctl_needs_command" -f -a "rollback" -d 'Undo commits, or restore an environment to a revision, as new commits'
complete -c cfgctl -n "__fish_cfgctl_needs_command" -f -a "flags" -d 'Feature flags in flagd format: validate, evaluate, explain, stage a rollout'
complete -c cfgctl -n "__fish_cfgctl_needs_command" -f -a "guard" -d 'Check health metrics against [guard.ENV] and roll back the newest change on a violation'
complete -c cfgctl -n "__fish_cfgctl_needs_command" -f -a "secrets" -d 'Encrypt, decrypt and re-key secret files (SOPS format, age recipients)'
complete -c cfgctl -n "__fish_cfgctl_needs_command" -f -a "packs" -d 'Release, verify, activate and roll back attack packs (prompt-attack patterns)'
complete -c cfgctl -n "__fish_cfgctl_needs_command" -f -a "hooks" -d 'Install Git hooks that run cfgctl (for teams without the pre-commit framework), or remove them'
complete -c cfgctl -n "__fish_cfgctl_needs_command" -f -a "completions" -d 'Print a shell completion script'
complete -c cfgctl -n "__fish_cfgctl_needs_command" -f -a "man" -d 'Print the man page (or write every page to a directory)'
complete -c cfgctl -n "__fish_cfgctl_needs_command" -f -a "help" -d 'Print this message or the help of the given subcommand(s)'
complete -c cfgctl -n "__fish_cfgctl_using_subcommand init" -s C -d 'Run as if started in DIR (the repository root is found from there)' -r -F
complete -c cfgctl -n "__fish_cfgctl_using_subcommand init" -l format -d 'Output format' -r -f -a "human\t'Readable text, coloured on a terminal'
json\t'One JSON document per run (`"version": 1`)'
github\t'GitHub Actions workflow annotations (findings only)'
junit\t'JUnit XML for CI test reports (findings only)'
gitlab\t'GitLab Code Quality report, JSON (findings only)'"
complete -c cfgctl -n "__fish_cfgctl_using_subcommand init" -l color -d 'When to colour human output (NO_COLOR is honoured with auto)' -r -f -a "auto\t'Colour when stdout is a terminal and NO_COLOR is unset'
always\t''
never\t''"
complete -c cfgctl -n "__fish_cfgctl_using_subcommand init" -l force -d 'Overwrite template files that already exist in DIR'
complete -c cfgctl -n "__fish_cfgctl_using_subcommand init" -l no-commit -d 'Write the files but do not create a Git repository or commit'
complete -c cfgctl -n "__fish_cfgctl_using_subcommand init" -s q -l quiet -d 'Print nothing but results, findings, blockers and errors (no status lines, notes, summaries or progress)'
complete -c cfgctl -n "__fish_cfgctl_using_subcommand init" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c cfgctl -n "__fish_cfgctl_using_subcommand init" -s V -l version -d 'Print version'
complete -c cfgctl -n "__fish_cfgctl_using_subcommand validate" -l changed-since -d 'Check only files changed since REV (plus what cross-environment rules compare them with)' -r
complete -c cfgctl -n "__fish_cfgctl_using_subcommand validate" -l at -d 'Check the files of a revision instead of the working tree (for pre-push hooks); with --changed-since, only what changed between the two' -r
complete -c cfgctl -n "__fish_cfgctl_using_subcommand validate" -l schema -d 'Check PATHs against this one schema, without a cfgctl.toml' -r -F
complete -c cfgctl -n "__fish_cfgctl_using_subcommand validate" -s C -d 'Run as if started in DIR (the repository root is found from there)' -r -F
complete -c cfgctl -n "__fish_cfgctl_using_subcommand validate" -l format -d 'Output format' -r -f -a "human\t'Readable text, coloured on a terminal'
json\t'One JSON document per run (`"version": 1`)'
github\t'GitHub Actions workflow annotations (findings only)'
junit\t'JUnit XML for CI test reports (findings only)'
gitlab\t'GitLab Code Quality report, JSON (findings only)'"
complete -c cfgctl -n "__fish_cfgctl_using_subcommand validate" -l color -d 'When to colour human output (NO_COLOR is honoured with auto)' -r -f -a "auto\t'Colour when stdout is a terminal and NO_COLOR is unset'
always\t''
never\t''"
complete -c cfgctl -n "__fish_cfgctl_using_subcommand validate" -l staged -d 'Check what is staged in the Git index, not the working tree (for pre-commit hooks)'
complete -c cfgctl -n "__fish_cfgctl_using_subcommand validate" -l deny-warnings -d 'Exit 1 on warnings too'
complete -c cfgctl -n "__fish_cfgctl_using_subcommand validate" -l no-cache -d 'Check every file again instead of taking unchanged files\' results from the cache in .git/cfgctl/cache (the results are the same either way)'
complete -c cfgctl -n "__fish_cfgctl_using_subcommand validate" -s v -l verbose -d 'Say how long listing, compiling schemas, checking files and comparing environments took'
complete -c cfgctl -n "__fish_cfgctl_using_subcommand validate" -s q -l quiet -d 'Print nothing but results, findings, blockers and errors (no status lines, notes, summaries or progress)'
complete -c cfgctl -n "__fish_cfgctl_using_subcommand validate" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c cfgctl -n "__fish_cfgctl_using_subcommand validate" -s V -l version -d 'Print version'
complete -c cfgctl -n "__fish_cfgctl_using_subcommand render" -l service -d 'Add the layers of this service (services/S/ and services/S/ENV/)' -r
complete -c cfgctl -n "__fish_cfgctl_using_subcommand render" -l tenant -d 'Add the layers of this tenant (tenants/T/ and tenants/T/ENV/)' -r
complete -c cfgctl -n "__fish_cfgctl_using_subcommand render" -l as -d 'Print the documents as yaml, json, dotenv (A__B=value), or a Kubernetes ConfigMap manifest' -r -f -a "yaml\t''
json\t''
dotenv\t''
configmap\t''"
complete -c cfgctl -n "__fish_cfgctl_using_subcommand render" -l name -d 'The ConfigMap\'s metadata.name (with --as configmap)' -r
complete -c cfgctl -n "__fish_cfgctl_using_subcommand render" -l at -d 'Render the environment as it was at a revision, without a checkout' -r
complete -c cfgctl -n "__fish_cfgctl_using_subcommand render" -l identity -d 'An age identity file for --reveal (repeatable; SOPS_AGE_KEY, SOPS_AGE_KEY_FILE and the default keys.txt are tried too)' -r -F
complete -c cfgctl -n "__fish_cfgctl_using_subcommand render" -s C -d 'Run as if started in DIR (the repository root is found from there)' -r -F
complete -c cfgctl -n "__fish_cfgctl_using_subcommand render" -l format -d 'Output format' -r -f -a "human\t'Readable text, coloured on a terminal'
json\t'One JSON document per run (`"version": 1`)'
github\t'GitHub Actions workflow annotations (findings only)'
junit\t'JUnit XML for CI test reports (findings only)'
gitlab\t'GitLab Code Quality report, JSON (findings only)'"
complete -c cfgctl -n "__fish_cfgctl_using_subcommand render" -l color -d 'When to colour human output (NO_COLOR is honoured with auto)' -r -f -a "auto\t'Colour when stdout is a terminal and NO_COLOR is unset'
always\t''
never\t''"
complete -c cfgctl -n "__fish_cfgctl_using_subcommand render" -l explain -d 'Show, for every value, the layer file and line it came from'
complete -c cfgctl -n "__fish_cfgctl_using_subcommand render" -l strict -d 'Fail on any unresolved ${VAR} (the default when the CI variable is set)'
complete -c cfgctl -n "__fish_cfgctl_using_subcommand render" -l no-strict -d 'Only warn about unresolved ${VAR}, even in CI'
complete -c cfgctl -n "__fish_cfgctl_using_subcommand render" -l no-validate -d 'Do not validate the rendered documents against their schemas'
complete -c cfgctl -n "__fish_cfgctl_using_subcommand render" -l reveal -d 'Replace ${SECRET:…} with decrypted values (needs an age identity); without it the references are checked against the secret files and left as written'
complete -c cfgctl -n "__fish_cfgctl_using_subcommand render" -s q -l quiet -d 'Print nothing but results, findings, blockers and errors (no status lines, notes, summaries or progress)'
complete -c cfgctl -n "__fish_cfgctl_using_subcommand render" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c cfgctl -n "__fish_cfgctl_using_subcommand render" -s V -l version -d 'Print version'
complete -c cfgctl -n "__fish_cfgctl_using_subcommand get" -l document -d 'Look only in this document (when the key path is in several)' -r
complete -c cfgctl -n "__fish_cfgctl_using_subcommand get" -l service -d 'Add the layers of this service (services/S/ and services/S/ENV/)' -r
complete -c cfgctl -n "__fish_cfgctl_using_subcommand get" -l tenant -d 'Add the layers of this tenant (tenants/T/ and tenants/T/ENV/)' -r
complete -c cfgctl -n "__fish_cfgctl_using_subcommand get" -l identity -d 'An age identity file for --reveal (repeatable)' -r -F
complete -c cfgctl -n "__fish_cfgctl_using_subcommand get" -s C -d 'Run as if started in DIR (the repository root is found from there)' -r -F
complete -c cfgctl -n "__fish_cfgctl_using_subcommand get" -l format -d 'Output format' -r -f -a "human\t'Readable text, coloured on a terminal'
json\t'One JSON document per run (`"version": 1`)'
github\t'GitHub Actions workflow annotations (findings only)'
junit\t'JUnit XML for CI test reports (findings only)'
gitlab\t'GitLab Code Quality report, JSON (findings only)'"
complete -c cfgctl -n "__fish_cfgctl_using_subcommand get" -l color -d 'When to colour human output (NO_COLOR is honoured with auto)' -r -f -a "auto\t'Colour when stdout is a terminal and NO_COLOR is unset'
always\t''
never\t''"
complete -c cfgctl -n "__fish_cfgctl_using_subcommand get" -l explain -d 'Show the layer file and line every value came from'
complete -c cfgctl -n "__fish_cfgctl_using_subcommand get" -l reveal -d 'Replace ${SECRET:…} with decrypted values (needs an age identity); without it the references are printed as written'
complete -c cfgctl -n "__fish_cfgctl_using_subcommand get" -s q -l quiet -d 'Print nothing but results, findings, blockers and errors (no status lines, notes, summaries or progress)'
complete -c cfgctl -n "__fish_cfgctl_using_subcommand get" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c cfgctl -n "__fish_cfgctl_using_subcommand get" -s V -l version -d 'Print version'
complete -c cfgctl -n "__fish_cfgctl_using_subcommand set" -l layer -d 'With ENV: the layer to write to' -r -f -a "global\t''
env\t''
service\t''
tenant\t''"
complete -c cfgctl -n "__fish_cfgctl_using_subcommand set" -l document -d 'With ENV: the document the key is in (when several have it, or for a new key)' -r
complete -c cfgctl -n "__fish_cfgctl_using_subcommand set" -l service -d 'With ENV: the service whose layers count (services/S/ and services/S/ENV/)' -r
complete -c cfgctl -n "__fish_cfgctl_using_subcommand set" -l tenant -d 'With ENV: the tenant whose layers count (tenants/T/ and tenants/T/ENV/)' -r
complete -c cfgctl -n "__fish_cfgctl_using_subcommand set" -s m -l message -d 'The commit subject (with --commit)' -r
complete -c cfgctl -n "__fish_cfgctl_using_subcommand set" -l approved-by -d 'Record an approval as an Approved-by trailer ("Name <email>"); repeatable' -r
complete -c cfgctl -n "__fish_cfgctl_using_subcommand set" -l emergency -d 'Write inside a freeze window or outside the allowed hours, recording why' -r
complete -c cfgctl -n "__fish_cfgctl_using_subcommand set" -l reason -d 'Why the change is made, recorded as a Cfgctl-Reason trailer and shown by `log`' -r
complete -c cfgctl -n "__fish_cfgctl_using_subcommand set" -s C -d 'Run as if started in DIR (the repository root is found from there)' -r -F
complete -c cfgctl -n "__fish_cfgctl_using_subcommand set" -l format -d 'Output format' -r -f -a "human\t'Readable text, coloured on a terminal'
json\t'One JSON document per run (`"version": 1`)'
github\t'GitHub Actions workflow annotations (findings only)'
junit\t'JUnit XML for CI test reports (findings only)'
gitlab\t'GitLab Code Quality report, JSON (findings only)'"
complete -c cfgctl -n "__fish_cfgctl_using_subcommand set" -l color -d 'When to colour human output (NO_COLOR is honoured with auto)' -r -f -a "auto\t'Colour when stdout is a terminal and NO_COLOR is unset'
always\t''
never\t''"
complete -c cfgctl -n "__fish_cfgctl_using_subcommand set" -l stdin -d 'Read the value from standard input'
complete -c cfgctl -n "__fish_cfgctl_using_subcommand set" -l json -d 'Read the value as JSON (for a list or a mapping)'
complete -c cfgctl -n "__fish_cfgctl_using_subcommand set" -l commit -d 'Commit the change through the write pipeline and policy, instead of editing the working tree file'
complete -c cfgctl -n "__fish_cfgctl_using_subcommand set" -l execute -d 'Make the change and commit it (without it, only the plan is shown)'
complete -c cfgctl -n "__fish_cfgctl_using_subcommand set" -s q -l quiet -d 'Print nothing but results, findings, blockers and errors (no status lines, notes, summaries or progress)'
complete -c cfgctl -n "__fish_cfgctl_using_subcommand set" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c cfgctl -n "__fish_cfgctl_using_subcommand set" -s V -l version -d 'Print version'
complete -c cfgctl -n "__fish_cfgctl_using_subcommand unset" -l layer -d 'With ENV: the layer to write to' -r -f -a "global\t''
env\t''
service\t''
tenant\t''"
complete -c cfgctl -n "__fish_cfgctl_using_subcommand unset" -l document -d 'With ENV: the document the key is in (when several have it, or for a new key)' -r
complete -c cfgctl -n "__fish_cfgctl_using_subcommand unset" -l service -d 'With ENV: the service whose layers count (services/S/ and services/S/ENV/)' -r
complete -c cfgctl -n "__fish_cfgctl_using_subcommand unset" -l tenant -d 'With ENV: the tenant whose layers count (tenants/T/ and tenants/T/ENV/)' -r
complete -c cfgctl -n "__fish_cfgctl_using_subcommand unset" -s m -l message -d 'The commit subject (with --commit)' -r
complete -c cfgctl -n "__fish_cfgctl_using_subcommand unset" -l approved-by -d 'Record an approval as an Approved-by trailer ("Name <email>"); repeatable' -r
complete -c cfgctl -n "__fish_cfgctl_using_subcommand unset" -l emergency -d 'Write inside a freeze window or outside the allowed hours, recording why' -r
complete -c cfgctl -n "__fish_cfgctl_using_subcommand unset" -l reason -d 'Why the change is made, recorded as a Cfgctl-Reason trailer and shown by `log`' -r
complete -c cfgctl -n "__fish_cfgctl_using_subcommand unset" -s C -d 'Run as if started in DIR (the repository root is found from there)' -r -F
complete -c cfgctl -n "__fish_cfgctl_using_subcommand unset" -l format -d 'Output format' -r -f -a "human\t'Readable text, coloured on a terminal'
json\t'One JSON document per run (`"version": 1`)'
github\t'GitHub Actions workflow annotations (findings only)'
junit\t'JUnit XML for CI test reports (findings only)'
gitlab\t'GitLab Code Quality report, JSON (findings only)'"
complete -c cfgctl -n "__fish_cfgctl_using_subcommand unset" -l color -d 'When to colour human output (NO_COLOR is honoured with auto)' -r -f -a "auto\t'Colour when stdout is a terminal and NO_COLOR is unset'
always\t''
never\t''"
complete -c cfgctl -n "__fish_cfgctl_using_subcommand unset" -l commit -d 'Commit the change through the write pipeline and policy, instead of editing the working tree file'
complete -c cfgctl -n "__fish_cfgctl_using_subcommand unset" -l execute -d 'Make the change and commit it (without it, only the plan is shown)'
complete -c cfgctl -n "__fish_cfgctl_using_subcommand unset" -s q -l quiet -d 'Print nothing but results, findings, blockers and errors (no status lines, notes, summaries or progress)'
complete -c cfgctl -n "__fish_cfgctl_using_subcommand unset" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c cfgctl -n "__fish_cfgctl_using_subcommand unset" -s V -l version -d 'Print version'
complete -c cfgctl -n "__fish_cfgctl_using_subcommand diff" -l service -d 'Include the layers of this service when rendering environments' -r
complete -c cfgctl -n "__fish_cfgctl_using_subcommand diff" -l tenant -d 'Include the layers of this tenant when rendering environments' -r
complete -c cfgctl -n "__fish_cfgctl_using_subcommand diff" -l ignore -d 'Hide key paths matching PATTERN and what is below them (`*` one key, `**` any number, `*_file` a glob); repeatable' -r
complete -c cfgctl -n "__fish_cfgctl_using_subcommand diff" -s C -d 'Run as if started in DIR (the repository root is found from there)' -r -F
complete -c cfgctl -n "__fish_cfgctl_using_subcommand diff" -l format -d 'Output format' -r -f -a "human\t'Readable text, coloured on a terminal'
json\t'One JSON document per run (`"version": 1`)'
github\t'GitHub Actions workflow annotations (findings only)'
junit\t'JUnit XML for CI test reports (findings only)'
gitlab\t'GitLab Code Quality report, JSON (findings only)'"
complete -c cfgctl -n "__fish_cfgctl_using_subcommand diff" -l color -d 'When to colour human output (NO_COLOR is honoured with auto)' -r -f -a "auto\t'Colour when stdout is a terminal and NO_COLOR is unset'
always\t''
never\t''"
complete -c cfgctl -n "__fish_cfgctl_using_subcommand diff" -l raw -d 'Compare environments\' own files instead of their rendered (layered) result'
complete -c cfgctl -n "__fish_cfgctl_using_subcommand diff" -l ignore-order -d 'Ignore the order of list items'
complete -c cfgctl -n "__fish_cfgctl_using_subcommand diff" -l ignore-pinned -d 'Hide keys pinned in [promote] pinned (differences meant to be there)'
complete -c cfgctl -n "__fish_cfgctl_using_subcommand diff" -l reveal -d 'Show values of secrets instead of masking them'
complete -c cfgctl -n "__fish_cfgctl_using_subcommand diff" -l exit-code -d 'Exit 1 when anything differs'
complete -c cfgctl -n "__fish_cfgctl_using_subcommand diff" -s q -l quiet -d 'Print nothing but results, findings, blockers and errors (no status lines, notes, summaries or progress)'
complete -c cfgctl -n "__fish_cfgctl_using_subcommand diff" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c cfgctl -n "__fish_cfgctl_using_subcommand diff" -s V -l version -d 'Print version'
complete -c cfgctl -n "__fish_cfgctl_using_subcommand drift" -l against -d 'The deployed copy: a directory of documents, one document, or a ConfigMap manifest' -r -F
complete -c cfgctl -n "__fish_cfgctl_using_subcommand drift" -l service -d 'Include the layers of this service when rendering environments' -r
complete -c cfgctl -n "__fish_cfgctl_using_subcommand drift" -l tenant -d 'Include the layers of this tenant when rendering environments' -r
complete -c cfgctl -n "__fish_cfgctl_using_subcommand drift" -l ignore -d 'Hide key paths matching PATTERN and what is below them (`*` one key, `**` any number, `*_file` a glob); repeatable' -r
complete -c cfgctl -n "__fish_cfgctl_using_subcommand drift" -s C -d 'Run as if started in DIR (the repository root is found from there)' -r -F
complete -c cfgctl -n "__fish_cfgctl_using_subcommand drift" -l format -d 'Output format' -r -f -a "human\t'Readable text, coloured on a terminal'
json\t'One JSON document per run (`"version": 1`)'
github\t'GitHub Actions workflow annotations (findings only)'
junit\t'JUnit XML for CI test reports (findings only)'
gitlab\t'GitLab Code Quality report, JSON (findings only)'"
complete -c cfgctl -n "__fish_cfgctl_using_subcommand drift" -l color -d 'When to colour human output (NO_COLOR is honoured with auto)' -r -f -a "auto\t'Colour when stdout is a terminal and NO_COLOR is unset'
always\t''
never\t''"
complete -c cfgctl -n "__fish_cfgctl_using_subcommand drift" -l ignore-order -d 'Ignore the order of list items'
complete -c cfgctl -n "__fish_cfgctl_using_subcommand drift" -l ignore-pinned -d 'Hide keys pinned in [promote] pinned (differences meant to be there)'
complete -c cfgctl -n "__fish_cfgctl_using_subcommand drift" -l reveal -d 'Show values of secrets instead of masking them'
complete -c cfgctl -n "__fish_cfgctl_using_subcommand drift" -s q -l quiet -d 'Print nothing but results, findings, blockers and errors (no status lines, notes, summaries or progress)'
complete -c cfgctl -n "__fish_cfgctl_using_subcommand drift" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c cfgctl -n "__fish_cfgctl_using_subcommand drift" -s V -l version -d 'Print version'
complete -c cfgctl -n "__fish_cfgctl_using_subcommand env; and not __fish_seen_subcommand_from list add help" -s C -d 'Run as if started in DIR (the repository root is found from there)' -r -F
complete -c cfgctl -n "__fish_cfgctl_using_subcommand env; and not __fish_seen_subcommand_from list add help" -l format -d 'Output format' -r -f -a "human\t'Readable text, coloured on a terminal'
json\t'One JSON document per run (`"version": 1`)'
github\t'GitHub Actions workflow annotations (findings only)'
junit\t'JUnit XML for CI test reports (findings only)'
gitlab\t'GitLab Code Quality report, JSON (findings only)'"
complete -c cfgctl -n "__fish_cfgctl_using_subcommand env; and not __fish_seen_subcommand_from list add help" -l color -d 'When to colour human output (NO_COLOR is honoured with auto)' -r -f -a "auto\t'Colour when stdout is a terminal and NO_COLOR is unset'
always\t''
never\t''"
complete -c cfgctl -n "__fish_cfgctl_using_subcommand env; and not __fish_seen_subcommand_from list add help" -s q -l quiet -d 'Print nothing but results, findings, blockers and errors (no status lines, notes, summaries or progress)'
complete -c cfgctl -n "__fish_cfgctl_using_subcommand env; and not __fish_seen_subcommand_from list add help" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c cfgctl -n "__fish_cfgctl_using_subcommand env; and not __fish_seen_subcommand_from list add help" -s V -l version -d 'Print version'
complete -c cfgctl -n "__fish_cfgctl_using_subcommand env; and not __fish_seen_subcommand_from list add help" -f -a "list" -d 'List the environments in promotion order with their documents, secret files, flag file and active packs'
complete -c cfgctl -n "__fish_cfgctl_using_subcommand env; and not __fish_seen_subcommand_from list add help" -f -a "add" -d 'Add an environment made from an existing one: its files copied, its secrets re-encrypted for the new recipients, every flag off; one commit (dry run unless --execute)'
complete -c cfgctl -n "__fish_cfgctl_using_subcommand env; and not __fish_seen_subcommand_from list add help" -f -a "help" -d 'Print this message or the help of the given subcommand(s)'
complete -c cfgctl -n "__fish_cfgctl_using_subcommand env; and __fish_seen_subcommand_from list" -s C -d 'Run as if started in DIR (the repository root is found from there)' -r -F
complete -c cfgctl -n "__fish_cfgctl_using_subcommand env; and __fish_seen_subcommand_from list" -l format -d 'Output format' -r -f -a "human\t'Readable text, coloured on a terminal'
json\t'One JSON document per run (`"version": 1`)'
github\t'GitHub Actions workflow annotations (findings only)'
junit\t'JUnit XML for CI test reports (findings only)'
gitlab\t'GitLab Code Quality report, JSON (findings only)'"
complete -c cfgctl -n "__fish_cfgctl_using_subcommand env; and __fish_seen_subcommand_from list" -l color -d 'When to colour human output (NO_COLOR is honoured with auto)' -r -f -a "auto\t'Colour when stdout is a terminal and NO_COLOR is unset'
always\t''
never\t''"
complete -c cfgctl -n "__fish_cfgctl_using_subcommand env; and __fish_seen_subcommand_from list" -s q -l quiet -d 'Print nothing but results, findings, blockers and errors (no status lines, notes, summaries or progress)'
complete -c cfgctl -n "__fish_cfgctl_using_subcommand env; and __fish_seen_subcommand_from list" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c cfgctl -n "__fish_cfgctl_using_subcommand env; and __fish_seen_subcommand_from list" -s V -l version -d 'Print version'
complete -c cfgctl -n "__fish_cfgctl_using_subcommand env; and __fish_seen_subcommand_from add" -l from -d 'The environment whose files the new one starts from' -r
complete -c cfgctl -n "__fish_cfgctl_using_subcommand env; and __fish_seen_subcommand_from add" -l after -d 'The environment the new one follows in promotion order (default: the --from one)' -r
complete -c cfgctl -n "__fish_cfgctl_using_subcommand env; and __fish_seen_subcommand_from add" -l age -d 'An age recipient for the new environment\'s secret files (repeatable; default: the --from environment\'s recipients)' -r
complete -c cfgctl -n "__fish_cfgctl_using_subcommand env; and __fish_seen_subcommand_from add" -l identity -d 'An age identity file that decrypts the --from environment\'s secret files (repeatable; SOPS_AGE_KEY, SOPS_AGE_KEY_FILE and the default keys file are tried too)' -r -F
complete -c cfgctl -n "__fish_cfgctl_using_subcommand env; and __fish_seen_subcommand_from add" -l approved-by -d 'Record an approval as an Approved-by trailer ("Name <email>"); repeatable' -r
complete -c cfgctl -n "__fish_cfgctl_using_subcommand env; and __fish_seen_subcommand_from add" -l emergency -d 'Write inside a freeze window or outside the allowed hours, recording why' -r
complete -c cfgctl -n "__fish_cfgctl_using_subcommand env; and __fish_seen_subcommand_from add" -l reason -d 'Why the change is made, recorded as a Cfgctl-Reason trailer and shown by `log`' -r
complete -c cfgctl -n "__fish_cfgctl_using_subcommand env; and __fish_seen_subcommand_from add" -s C -d 'Run as if started in DIR (the repository root is found from there)' -r -F
complete -c cfgctl -n "__fish_cfgctl_using_subcommand env; and __fish_seen_subcommand_from add" -l format -d 'Output format' -r -f -a "human\t'Readable text, coloured on a terminal'
json\t'One JSON document per run (`"version": 1`)'
github\t'GitHub Actions workflow annotations (findings only)'
junit\t'JUnit XML for CI test reports (findings only)'
gitlab\t'GitLab Code Quality report, JSON (findings only)'"
complete -c cfgctl -n "__fish_cfgctl_using_subcommand env; and __fish_seen_subcommand_from add" -l color -d 'When to colour human output (NO_COLOR is honoured with auto)' -r -f -a "auto\t'Colour when stdout is a terminal and NO_COLOR is unset'
always\t''
never\t''"
complete -c cfgctl -n "__fish_cfgctl_using_subcommand env; and __fish_seen_subcommand_from add" -l execute -d 'Make the change and commit it (without it, only the plan is shown)'
complete -c cfgctl -n "__fish_cfgctl_using_subcommand env; and __fish_seen_subcommand_from add" -s q -l quiet -d 'Print nothing but results, findings, blockers and errors (no status lines, notes, summaries or progress)'
complete -c cfgctl -n "__fish_cfgctl_using_subcommand env; and __fish_seen_subcommand_from add" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c cfgctl -n "__fish_cfgctl_using_subcommand env; and __fish_seen_subcommand_from add" -s V -l version -d 'Print version'
complete -c cfgctl -n "__fish_cfgctl_using_subcommand env; and __fish_seen_subcommand_from help" -f -a "list" -d 'List the environments in promotion order with their documents, secret files, flag file and active packs'
complete -c cfgctl -n "__fish_cfgctl_using_subcommand env; and __fish_seen_subcommand_from help" -f -a "add" -d 'Add an environment made from an existing one: its files copied, its secrets re-encrypted for the new recipients, every flag off; one commit (dry run unless --execute)'
complete -c cfgctl -n "__fish_cfgctl_using_subcommand env; and __fish_seen_subcommand_from help" -f -a "help" -d 'Print this message or the help of the given subcommand(s)'
complete -c cfgctl -n "__fish_cfgctl_using_subcommand promote" -l approved-by -d 'Record an approval as an Approved-by trailer ("Name <email>"); repeatable' -r
complete -c cfgctl -n "__fish_cfgctl_using_subcommand promote" -l emergency -d 'Write inside a freeze window or outside the allowed hours, recording why' -r
complete -c cfgctl -n "__fish_cfgctl_using_subcommand promote" -l reason -d 'Why the change is made, recorded as a Cfgctl-Reason trailer and shown by `log`' -r
complete -c cfgctl -n "__fish_cfgctl_using_subcommand promote" -l branch -d 'Commit on a new branch for review instead of the current one' -r
complete -c cfgctl -n "__fish_cfgctl_using_subcommand promote" -s C -d 'Run as if started in DIR (the repository root is found from there)' -r -F
complete -c cfgctl -n "__fish_cfgctl_using_subcommand promote" -l format -d 'Output format' -r -f -a "human\t'Readable text, coloured on a terminal'
json\t'One JSON document per run (`"version": 1`)'
github\t'GitHub Actions workflow annotations (findings only)'
junit\t'JUnit XML for CI test reports (findings only)'
gitlab\t'GitLab Code Quality report, JSON (findings only)'"
complete -c cfgctl -n "__fish_cfgctl_using_subcommand promote" -l color -d 'When to colour human output (NO_COLOR is honoured with auto)' -r -f -a "auto\t'Colour when stdout is a terminal and NO_COLOR is unset'
always\t''
never\t''"
complete -c cfgctl -n "__fish_cfgctl_using_subcommand promote" -l execute -d 'Make the change and commit it (without it, only the plan is shown)'
complete -c cfgctl -n "__fish_cfgctl_using_subcommand promote" -l skip-order -d 'Allow promoting out of the [repo] environments order'
complete -c cfgctl -n "__fish_cfgctl_using_subcommand promote" -l show-pinned -d 'List every pinned key in the plan (by default they are counted per document)'
complete -c cfgctl -n "__fish_cfgctl_using_subcommand promote" -s q -l quiet -d 'Print nothing but results, findings, blockers and errors (no status lines, notes, summaries or progress)'
complete -c cfgctl -n "__fish_cfgctl_using_subcommand promote" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c cfgctl -n "__fish_cfgctl_using_subcommand promote" -s V -l version -d 'Print version'
complete -c cfgctl -n "__fish_cfgctl_using_subcommand status" -s C -d 'Run as if started in DIR (the repository root is found from there)' -r -F
complete -c cfgctl -n "__fish_cfgctl_using_subcommand status" -l format -d 'Output format' -r -f -a "human\t'Readable text, coloured on a terminal'
json\t'One JSON document per run (`"version": 1`)'
github\t'GitHub Actions workflow annotations (findings only)'
junit\t'JUnit XML for CI test reports (findings only)'
gitlab\t'GitLab Code Quality report, JSON (findings only)'"
complete -c cfgctl -n "__fish_cfgctl_using_subcommand status" -l color -d 'When to colour human output (NO_COLOR is honoured with auto)' -r -f -a "auto\t'Colour when stdout is a terminal and NO_COLOR is unset'
always\t''
never\t''"
complete -c cfgctl -n "__fish_cfgctl_using_subcommand status" -s q -l quiet -d 'Print nothing but results, findings, blockers and errors (no status lines, notes, summaries or progress)'
complete -c cfgctl -n "__fish_cfgctl_using_subcommand status" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c cfgctl -n "__fish_cfgctl_using_subcommand status" -s V -l version -d 'Print version'
complete -c cfgctl -n "__fish_cfgctl_using_subcommand log" -s n -l max-count -d 'Show at most N changes' -r
complete -c cfgctl -n "__fish_cfgctl_using_subcommand log" -l since -d 'Only changes made on or after DATE (YYYY-MM-DD or YYYY-MM-DDTHH:MM:SSZ)' -r
complete -c cfgctl -n "__fish_cfgctl_using_subcommand log" -l key -d 'With ENV: only the commits that changed the rendered value at KEYPATH (a change in any layer that feeds it), each with the old and the new value' -r
complete -c cfgctl -n "__fish_cfgctl_using_subcommand log" -s C -d 'Run as if started in DIR (the repository root is found from there)' -r -F
complete -c cfgctl -n "__fish_cfgctl_using_subcommand log" -l format -d 'Output format' -r -f -a "human\t'Readable text, coloured on a terminal'
json\t'One JSON document per run (`"version": 1`)'
github\t'GitHub Actions workflow annotations (findings only)'
junit\t'JUnit XML for CI test reports (findings only)'
gitlab\t'GitLab Code Quality report, JSON (findings only)'"
complete -c cfgctl -n "__fish_cfgctl_using_subcommand log" -l color -d 'When to colour human output (NO_COLOR is honoured with auto)' -r -f -a "auto\t'Colour when stdout is a terminal and NO_COLOR is unset'
always\t''
never\t''"
complete -c cfgctl -n "__fish_cfgctl_using_subcommand log" -s q -l quiet -d 'Print nothing but results, findings, blockers and errors (no status lines, notes, summaries or progress)'
complete -c cfgctl -n "__fish_cfgctl_using_subcommand log" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c cfgctl -n "__fish_cfgctl_using_subcommand log" -s V -l version -d 'Print version'
complete -c cfgctl -n "__fish_cfgctl_using_subcommand blame" -s C -d 'Run as if started in DIR (the repository root is found from there)' -r -F
complete -c cfgctl -n "__fish_cfgctl_using_subcommand blame" -l format -d 'Output format' -r -f -a "human\t'Readable text, coloured on a terminal'
json\t'One JSON document per run (`"version": 1`)'
github\t'GitHub Actions workflow annotations (findings only)'
junit\t'JUnit XML for CI test reports (findings only)'
gitlab\t'GitLab Code Quality report, JSON (findings only)'"
complete -c cfgctl -n "__fish_cfgctl_using_subcommand blame" -l color -d 'When to colour human output (NO_COLOR is honoured with auto)' -r -f -a "auto\t'Colour when stdout is a terminal and NO_COLOR is unset'
always\t''
never\t''"
complete -c cfgctl -n "__fish_cfgctl_using_subcommand blame" -s q -l quiet -d 'Print nothing but results, findings, blockers and errors (no status lines, notes, summaries or progress)'
complete -c cfgctl -n "__fish_cfgctl_using_subcommand blame" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c cfgctl -n "__fish_cfgctl_using_subcommand blame" -s V -l version -d 'Print version'
complete -c cfgctl -n "__fish_cfgctl_using_subcommand rollback" -l env -d 'The environment to restore (with --to) or whose last promotion to revert' -r
complete -c cfgctl -n "__fish_cfgctl_using_subcommand rollback" -l to -d 'Restore the environment\'s own files (its directory, flag file and overrides) as at REV' -r
complete -c cfgctl -n "__fish_cfgctl_using_subcommand rollback" -l approved-by -d 'Record an approval as an Approved-by trailer ("Name <email>"); repeatable' -r
complete -c cfgctl -n "__fish_cfgctl_using_subcommand rollback" -l emergency -d 'Write inside a freeze window or outside the allowed hours, recording why' -r
complete -c cfgctl -n "__fish_cfgctl_using_subcommand rollback" -l reason -d 'Why the change is made, recorded as a Cfgctl-Reason trailer and shown by `log`' -r
complete -c cfgctl -n "__fish_cfgctl_using_subcommand rollback" -s C -d 'Run as if started in DIR (the repository root is found from there)' -r -F
complete -c cfgctl -n "__fish_cfgctl_using_subcommand rollback" -l format -d 'Output format' -r -f -a "human\t'Readable text, coloured on a terminal'
json\t'One JSON document per run (`"version": 1`)'
github\t'GitHub Actions workflow annotations (findings only)'
junit\t'JUnit XML for CI test reports (findings only)'
gitlab\t'GitLab Code Quality report, JSON (findings only)'"
complete -c cfgctl -n "__fish_cfgctl_using_subcommand rollback" -l color -d 'When to colour human output (NO_COLOR is honoured with auto)' -r -f -a "auto\t'Colour when stdout is a terminal and NO_COLOR is unset'
always\t''
never\t''"
complete -c cfgctl -n "__fish_cfgctl_using_subcommand rollback" -l last-promotion -d 'Revert the last promotion into the environment'
complete -c cfgctl -n "__fish_cfgctl_using_subcommand rollback" -l execute -d 'Make the change and commit it (without it, only the plan is shown)'
complete -c cfgctl -n "__fish_cfgctl_using_subcommand rollback" -s q -l quiet -d 'Print nothing but results, findings, blockers and errors (no status lines, notes, summaries or progress)'
complete -c cfgctl -n "__fish_cfgctl_using_subcommand rollback" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c cfgctl -n "__fish_cfgctl_using_subcommand rollback" -s V -l version -d 'Print version'
complete -c cfgctl -n "__fish_cfgctl_using_subcommand flags; and not __fish_seen_subcommand_from validate eval explain stage bench help" -s C -d 'Run as if started in DIR (the repository root is found from there)' -r -F
complete -c cfgctl -n "__fish_cfgctl_using_subcommand flags; and not __fish_seen_subcommand_from validate eval explain stage bench help" -l format -d 'Output format' -r -f -a "human\t'Readable text, coloured on a terminal'
json\t'One JSON document per run (`"version": 1`)'
github\t'GitHub Actions workflow annotations (findings only)'
junit\t'JUnit XML for CI test reports (findings only)'
gitlab\t'GitLab Code Quality report, JSON (findings only)'"
complete -c cfgctl -n "__fish_cfgctl_using_subcommand flags; and not __fish_seen_subcommand_from validate eval explain stage bench help" -l color -d 'When to colour human output (NO_COLOR is honoured with auto)' -r -f -a "auto\t'Colour when stdout is a terminal and NO_COLOR is unset'
always\t''
never\t''"
complete -c cfgctl -n "__fish_cfgctl_using_subcommand flags; and not __fish_seen_subcommand_from validate eval explain stage bench help" -s q -l quiet -d 'Print nothing but results, findings, blockers and errors (no status lines, notes, summaries or progress)'
complete -c cfgctl -n "__fish_cfgctl_using_subcommand flags; and not __fish_seen_subcommand_from validate eval explain stage bench help" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c cfgctl -n "__fish_cfgctl_using_subcommand flags; and not __fish_seen_subcommand_from validate eval explain stage bench help" -s V -l version -d 'Print version'
complete -c cfgctl -n "__fish_cfgctl_using_subcommand flags; and not __fish_seen_subcommand_from validate eval explain stage bench help" -f -a "validate" -d 'Check flag files against the flagd schemas and cfgctl\'s flag rules'
complete -c cfgctl -n "__fish_cfgctl_using_subcommand flags; and not __fish_seen_subcommand_from validate eval explain stage bench help" -f -a "eval" -d 'Evaluate a flag for a context, as flagd does'
complete -c cfgctl -n "__fish_cfgctl_using_subcommand flags; and not __fish_seen_subcommand_from validate eval explain stage bench help" -f -a "explain" -d 'Show why a flag evaluates as it does: the rule that matched, the bucketing key and hash'
complete -c cfgctl -n "__fish_cfgctl_using_subcommand flags; and not __fish_seen_subcommand_from validate eval explain stage bench help" -f -a "stage" -d 'Move a flag to a rollout stage: disabled, canary, beta, staged, full (dry run unless --execute)'
complete -c cfgctl -n "__fish_cfgctl_using_subcommand flags; and not __fish_seen_subcommand_from validate eval explain stage bench help" -f -a "bench" -d 'Evaluate many (flag, context) pairs in one process and print the rate'
complete -c cfgctl -n "__fish_cfgctl_using_subcommand flags; and not __fish_seen_subcommand_from validate eval explain stage bench help" -f -a "help" -d 'Print this message or the help of the given subcommand(s)'
complete -c cfgctl -n "__fish_cfgctl_using_subcommand flags; and __fish_seen_subcommand_from validate" -l env -d 'Check only this environment\'s flag file' -r
complete -c cfgctl -n "__fish_cfgctl_using_subcommand flags; and __fish_seen_subcommand_from validate" -s C -d 'Run as if started in DIR (the repository root is found from there)' -r -F
complete -c cfgctl -n "__fish_cfgctl_using_subcommand flags; and __fish_seen_subcommand_from validate" -l format -d 'Output format' -r -f -a "human\t'Readable text, coloured on a terminal'
json\t'One JSON document per run (`"version": 1`)'
github\t'GitHub Actions workflow annotations (findings only)'
junit\t'JUnit XML for CI test reports (findings only)'
gitlab\t'GitLab Code Quality report, JSON (findings only)'"
complete -c cfgctl -n "__fish_cfgctl_using_subcommand flags; and __fish_seen_subcommand_from validate" -l color -d 'When to colour human output (NO_COLOR is honoured with auto)' -r -f -a "auto\t'Colour when stdout is a terminal and NO_COLOR is unset'
always\t''
never\t''"
complete -c cfgctl -n "__fish_cfgctl_using_subcommand flags; and __fish_seen_subcommand_from validate" -l deny-warnings -d 'Exit 1 on warnings (stale flags) too'
complete -c cfgctl -n "__fish_cfgctl_using_subcommand flags; and __fish_seen_subcommand_from validate" -s q -l quiet -d 'Print nothing but results, findings, blockers and errors (no status lines, notes, summaries or progress)'
complete -c cfgctl -n "__fish_cfgctl_using_subcommand flags; and __fish_seen_subcommand_from validate" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c cfgctl -n "__fish_cfgctl_using_subcommand flags; and __fish_seen_subcommand_from validate" -s V -l version -d 'Print version'
complete -c cfgctl -n "__fish_cfgctl_using_subcommand flags; and __fish_seen_subcommand_from eval" -l env -d 'Environment whose flag file (flags/ENV.flags.json or .yaml) is used' -r
complete -c cfgctl -n "__fish_cfgctl_using_subcommand flags; and __fish_seen_subcommand_from eval" -l context -d 'A context attribute; VALUE is JSON if it parses as JSON, else a string; KEY may be dotted' -r
complete -c cfgctl -n "__fish_cfgctl_using_subcommand flags; and __fish_seen_subcommand_from eval" -l context-file -d 'A JSON or YAML file with the context object (--context values override it)' -r -F
complete -c cfgctl -n "__fish_cfgctl_using_subcommand flags; and __fish_seen_subcommand_from eval" -l targeting-key -d 'The targeting key (OpenFeature\'s user id), `targetingKey` in the context' -r
complete -c cfgctl -n "__fish_cfgctl_using_subcommand flags; and __fish_seen_subcommand_from eval" -l fractional -d '`fractional` generation: v2 as the flagd daemon, or v3 (CBOR-encoded keys, not in flagd yet)' -r -f -a "v2\t''
v3\t''"
complete -c cfgctl -n "__fish_cfgctl_using_subcommand flags; and __fish_seen_subcommand_from eval" -s C -d 'Run as if started in DIR (the repository root is found from there)' -r -F
complete -c cfgctl -n "__fish_cfgctl_using_subcommand flags; and __fish_seen_subcommand_from eval" -l format -d 'Output format' -r -f -a "human\t'Readable text, coloured on a terminal'
json\t'One JSON document per run (`"version": 1`)'
github\t'GitHub Actions workflow annotations (findings only)'
junit\t'JUnit XML for CI test reports (findings only)'
gitlab\t'GitLab Code Quality report, JSON (findings only)'"
complete -c cfgctl -n "__fish_cfgctl_using_subcommand flags; and __fish_seen_subcommand_from eval" -l color -d 'When to colour human output (NO_COLOR is honoured with auto)' -r -f -a "auto\t'Colour when stdout is a terminal and NO_COLOR is unset'
always\t''
never\t''"
complete -c cfgctl -n "__fish_cfgctl_using_subcommand flags; and __fish_seen_subcommand_from eval" -l all -d 'Evaluate every flag of the environment'
complete -c cfgctl -n "__fish_cfgctl_using_subcommand flags; and __fish_seen_subcommand_from eval" -s q -l quiet -d 'Print nothing but results, findings, blockers and errors (no status lines, notes, summaries or progress)'
complete -c cfgctl -n "__fish_cfgctl_using_subcommand flags; and __fish_seen_subcommand_from eval" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c cfgctl -n "__fish_cfgctl_using_subcommand flags; and __fish_seen_subcommand_from eval" -s V -l version -d 'Print version'
complete -c cfgctl -n "__fish_cfgctl_using_subcommand flags; and __fish_seen_subcommand_from explain" -l env -d 'Environment whose flag file (flags/ENV.flags.json or .yaml) is used' -r
complete -c cfgctl -n "__fish_cfgctl_using_subcommand flags; and __fish_seen_subcommand_from explain" -l context -d 'A context attribute; VALUE is JSON if it parses as JSON, else a string; KEY may be dotted' -r
complete -c cfgctl -n "__fish_cfgctl_using_subcommand flags; and __fish_seen_subcommand_from explain" -l context-file -d 'A JSON or YAML file with the context object (--context values override it)' -r -F
complete -c cfgctl -n "__fish_cfgctl_using_subcommand flags; and __fish_seen_subcommand_from explain" -l targeting-key -d 'The targeting key (OpenFeature\'s user id), `targetingKey` in the context' -r
complete -c cfgctl -n "__fish_cfgctl_using_subcommand flags; and __fish_seen_subcommand_from explain" -l fractional -d '`fractional` generation: v2 as the flagd daemon, or v3 (CBOR-encoded keys, not in flagd yet)' -r -f -a "v2\t''
v3\t''"
complete -c cfgctl -n "__fish_cfgctl_using_subcommand flags; and __fish_seen_subcommand_from explain" -s C -d 'Run as if started in DIR (the repository root is found from there)' -r -F
complete -c cfgctl -n "__fish_cfgctl_using_subcommand flags; and __fish_seen_subcommand_from explain" -l format -d 'Output format' -r -f -a "human\t'Readable text, coloured on a terminal'
json\t'One JSON document per run (`"version": 1`)'
github\t'GitHub Actions workflow annotations (findings only)'
junit\t'JUnit XML for CI test reports (findings only)'
gitlab\t'GitLab Code Quality report, JSON (findings only)'"
complete -c cfgctl -n "__fish_cfgctl_using_subcommand flags; and __fish_seen_subcommand_from explain" -l color -d 'When to colour human output (NO_COLOR is honoured with auto)' -r -f -a "auto\t'Colour when stdout is a terminal and NO_COLOR is unset'
always\t''
never\t''"
complete -c cfgctl -n "__fish_cfgctl_using_subcommand flags; and __fish_seen_subcommand_from explain" -s q -l quiet -d 'Print nothing but results, findings, blockers and errors (no status lines, notes, summaries or progress)'
complete -c cfgctl -n "__fish_cfgctl_using_subcommand flags; and __fish_seen_subcommand_from explain" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c cfgctl -n "__fish_cfgctl_using_subcommand flags; and __fish_seen_subcommand_from explain" -s V -l version -d 'Print version'
complete -c cfgctl -n "__fish_cfgctl_using_subcommand flags; and __fish_seen_subcommand_from stage" -l env -d 'Environment whose flag file is changed' -r
complete -c cfgctl -n "__fish_cfgctl_using_subcommand flags; and __fish_seen_subcommand_from stage" -l percent -d 'Rollout percentage for canary, beta and staged (default 5, 25, 50; steps of 0.01)' -r
complete -c cfgctl -n "__fish_cfgctl_using_subcommand flags; and __fish_seen_subcommand_from stage" -l approved-by -d 'Record an approval as an Approved-by trailer ("Name <email>"); repeatable' -r
complete -c cfgctl -n "__fish_cfgctl_using_subcommand flags; and __fish_seen_subcommand_from stage" -l emergency -d 'Write inside a freeze window or outside the allowed hours, recording why' -r
complete -c cfgctl -n "__fish_cfgctl_using_subcommand flags; and __fish_seen_subcommand_from stage" -l reason -d 'Why the change is made, recorded as a Cfgctl-Reason trailer and shown by `log`' -r
complete -c cfgctl -n "__fish_cfgctl_using_subcommand flags; and __fish_seen_subcommand_from stage" -s C -d 'Run as if started in DIR (the repository root is found from there)' -r -F
complete -c cfgctl -n "__fish_cfgctl_using_subcommand flags; and __fish_seen_subcommand_from stage" -l format -d 'Output format' -r -f -a "human\t'Readable text, coloured on a terminal'
json\t'One JSON document per run (`"version": 1`)'
github\t'GitHub Actions workflow annotations (findings only)'
junit\t'JUnit XML for CI test reports (findings only)'
gitlab\t'GitLab Code Quality report, JSON (findings only)'"
complete -c cfgctl -n "__fish_cfgctl_using_subcommand flags; and __fish_seen_subcommand_from stage" -l color -d 'When to colour human output (NO_COLOR is honoured with auto)' -r -f -a "auto\t'Colour when stdout is a terminal and NO_COLOR is unset'
always\t''
never\t''"
complete -c cfgctl -n "__fish_cfgctl_using_subcommand flags; and __fish_seen_subcommand_from stage" -l next -d 'Advance one step of the [flags.rollout] schedule (refused inside min_step_interval or after an unhealthy guard verdict)'
complete -c cfgctl -n "__fish_cfgctl_using_subcommand flags; and __fish_seen_subcommand_from stage" -l back -d 'Go one step back along the [flags.rollout] schedule (to disabled before the first)'
complete -c cfgctl -n "__fish_cfgctl_using_subcommand flags; and __fish_seen_subcommand_from stage" -l execute -d 'Make the change and commit it (without it, only the plan is shown)'
complete -c cfgctl -n "__fish_cfgctl_using_subcommand flags; and __fish_seen_subcommand_from stage" -l force -d 'Include uncommitted changes of the flag file in the commit instead of refusing'
complete -c cfgctl -n "__fish_cfgctl_using_subcommand flags; and __fish_seen_subcommand_from stage" -s q -l quiet -d 'Print nothing but results, findings, blockers and errors (no status lines, notes, summaries or progress)'
complete -c cfgctl -n "__fish_cfgctl_using_subcommand flags; and __fish_seen_subcommand_from stage" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c cfgctl -n "__fish_cfgctl_using_subcommand flags; and __fish_seen_subcommand_from stage" -s V -l version -d 'Print version'
complete -c cfgctl -n "__fish_cfgctl_using_subcommand flags; and __fish_seen_subcommand_from bench" -l count -d 'Number of evaluations' -r
complete -c cfgctl -n "__fish_cfgctl_using_subcommand flags; and __fish_seen_subcommand_from bench" -l env -d 'Environment whose flag file (flags/ENV.flags.json or .yaml) is used' -r
complete -c cfgctl -n "__fish_cfgctl_using_subcommand flags; and __fish_seen_subcommand_from bench" -l context -d 'A context attribute; VALUE is JSON if it parses as JSON, else a string; KEY may be dotted' -r
complete -c cfgctl -n "__fish_cfgctl_using_subcommand flags; and __fish_seen_subcommand_from bench" -l context-file -d 'A JSON or YAML file with the context object (--context values override it)' -r -F
complete -c cfgctl -n "__fish_cfgctl_using_subcommand flags; and __fish_seen_subcommand_from bench" -l targeting-key -d 'The targeting key (OpenFeature\'s user id), `targetingKey` in the context' -r
complete -c cfgctl -n "__fish_cfgctl_using_subcommand flags; and __fish_seen_subcommand_from bench" -l fractional -d '`fractional` generation: v2 as the flagd daemon, or v3 (CBOR-encoded keys, not in flagd yet)' -r -f -a "v2\t''
v3\t''"
complete -c cfgctl -n "__fish_cfgctl_using_subcommand flags; and __fish_seen_subcommand_from bench" -s C -d 'Run as if started in DIR (the repository root is found from there)' -r -F
complete -c cfgctl -n "__fish_cfgctl_using_subcommand flags; and __fish_seen_subcommand_from bench" -l format -d 'Output format' -r -f -a "human\t'Readable text, coloured on a terminal'
json\t'One JSON document per run (`"version": 1`)'
github\t'GitHub Actions workflow annotations (findings only)'
junit\t'JUnit XML for CI test reports (findings only)'
gitlab\t'GitLab Code Quality report, JSON (findings only)'"
complete -c cfgctl -n "__fish_cfgctl_using_subcommand flags; and __fish_seen_subcommand_from bench" -l color -d 'When to colour human output (NO_COLOR is honoured with auto)' -r -f -a "auto\t'Colour when stdout is a terminal and NO_COLOR is unset'
always\t''
never\t''"
complete -c cfgctl -n "__fish_cfgctl_using_subcommand flags; and __fish_seen_subcommand_from bench" -s q -l quiet -d 'Print nothing but results, findings, blockers and errors (no status lines, notes, summaries or progress)'
complete -c cfgctl -n "__fish_cfgctl_using_subcommand flags; and __fish_seen_subcommand_from bench" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c cfgctl -n "__fish_cfgctl_using_subcommand flags; and __fish_seen_subcommand_from bench" -s V -l version -d 'Print version'
complete -c cfgctl -n "__fish_cfgctl_using_subcommand flags; and __fish_seen_subcommand_from help" -f -a "validate" -d 'Check flag files against the flagd schemas and cfgctl\'s flag rules'
complete -c cfgctl -n "__fish_cfgctl_using_subcommand flags; and __fish_seen_subcommand_from help" -f -a "eval" -d 'Evaluate a flag for a context, as flagd does'
complete -c cfgctl -n "__fish_cfgctl_using_subcommand flags; and __fish_seen_subcommand_from help" -f -a "explain" -d 'Show why a flag evaluates as it does: the rule that matched, the bucketing key and hash'
complete -c cfgctl -n "__fish_cfgctl_using_subcommand flags; and __fish_seen_subcommand_from help" -f -a "stage" -d 'Move a flag to a rollout stage: disabled, canary, beta, staged, full (dry run unless --execute)'
complete -c cfgctl -n "__fish_cfgctl_using_subcommand flags; and __fish_seen_subcommand_from help" -f -a "bench" -d 'Evaluate many (flag, context) pairs in one process and print the rate'
complete -c cfgctl -n "__fish_cfgctl_using_subcommand flags; and __fish_seen_subcommand_from help" -f -a "help" -d 'Print this message or the help of the given subcommand(s)'
complete -c cfgctl -n "__fish_cfgctl_using_subcommand guard" -l metrics -d 'Health readings: a JSON or YAML object of numbers (one reading), an array of them, or JSON Lines (.jsonl, or - for stdin), e.g. {"time": "2026-06-01T10:00:00Z", "error_rate": 0.02, "requests": 1200}; repeatable' -r
complete -c cfgctl -n "__fish_cfgctl_using_subcommand guard" -l approved-by -d 'Record an approval as an Approved-by trailer ("Name <email>"); repeatable' -r
complete -c cfgctl -n "__fish_cfgctl_using_subcommand guard" -l emergency -d 'Write inside a freeze window or outside the allowed hours, recording why' -r
complete -c cfgctl -n "__fish_cfgctl_using_subcommand guard" -l reason -d 'Why the change is made, recorded as a Cfgctl-Reason trailer and shown by `log`' -r
complete -c cfgctl -n "__fish_cfgctl_using_subcommand guard" -s C -d 'Run as if started in DIR (the repository root is found from there)' -r -F
complete -c cfgctl -n "__fish_cfgctl_using_subcommand guard" -l format -d 'Output format' -r -f -a "human\t'Readable text, coloured on a terminal'
json\t'One JSON document per run (`"version": 1`)'
github\t'GitHub Actions workflow annotations (findings only)'
junit\t'JUnit XML for CI test reports (findings only)'
gitlab\t'GitLab Code Quality report, JSON (findings only)'"
complete -c cfgctl -n "__fish_cfgctl_using_subcommand guard" -l color -d 'When to colour human output (NO_COLOR is honoured with auto)' -r -f -a "auto\t'Colour when stdout is a terminal and NO_COLOR is unset'
always\t''
never\t''"
complete -c cfgctl -n "__fish_cfgctl_using_subcommand guard" -l execute -d 'Make the change and commit it (without it, only the plan is shown)'
complete -c cfgctl -n "__fish_cfgctl_using_subcommand guard" -s q -l quiet -d 'Print nothing but results, findings, blockers and errors (no status lines, notes, summaries or progress)'
complete -c cfgctl -n "__fish_cfgctl_using_subcommand guard" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c cfgctl -n "__fish_cfgctl_using_subcommand guard" -s V -l version -d 'Print version'
complete -c cfgctl -n "__fish_cfgctl_using_subcommand secrets; and not __fish_seen_subcommand_from keygen encrypt decrypt edit set unset get updatekeys rotate list check exec git-setup merge-driver textconv help" -s C -d 'Run as if started in DIR (the repository root is found from there)' -r -F
complete -c cfgctl -n "__fish_cfgctl_using_subcommand secrets; and not __fish_seen_subcommand_from keygen encrypt decrypt edit set unset get updatekeys rotate list check exec git-setup merge-driver textconv help" -l format -d 'Output format' -r -f -a "human\t'Readable text, coloured on a terminal'
json\t'One JSON document per run (`"version": 1`)'
github\t'GitHub Actions workflow annotations (findings only)'
junit\t'JUnit XML for CI test reports (findings only)'
gitlab\t'GitLab Code Quality report, JSON (findings only)'"
complete -c cfgctl -n "__fish_cfgctl_using_subcommand secrets; and not __fish_seen_subcommand_from keygen encrypt decrypt edit set unset get updatekeys rotate list check exec git-setup merge-driver textconv help" -l color -d 'When to colour human output (NO_COLOR is honoured with auto)' -r -f -a "auto\t'Colour when stdout is a terminal and NO_COLOR is unset'
always\t''
never\t''"
complete -c cfgctl -n "__fish_cfgctl_using_subcommand secrets; and not __fish_seen_subcommand_from keygen encrypt decrypt edit set unset get updatekeys rotate list check exec git-setup merge-driver textconv help" -s q -l quiet -d 'Print nothing but results, findings, blockers and errors (no status lines, notes, summaries or progress)'
complete -c cfgctl -n "__fish_cfgctl_using_subcommand secrets; and not __fish_seen_subcommand_from keygen encrypt decrypt edit set unset get updatekeys rotate list check exec git-setup merge-driver textconv help" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c cfgctl -n "__fish_cfgctl_using_subcommand secrets; and not __fish_seen_subcommand_from keygen encrypt decrypt edit set unset get updatekeys rotate list check exec git-setup merge-driver textconv help" -s V -l version -d 'Print version'
complete -c cfgctl -n "__fish_cfgctl_using_subcommand secrets; and not __fish_seen_subcommand_from keygen encrypt decrypt edit set unset get updatekeys rotate list check exec git-setup merge-driver textconv help" -f -a "keygen" -d 'Create an age identity where sops looks for it and print its public recipient'
complete -c cfgctl -n "__fish_cfgctl_using_subcommand secrets; and not __fish_seen_subcommand_from keygen encrypt decrypt edit set unset get updatekeys rotate list check exec git-setup merge-driver textconv help" -f -a "encrypt" -d 'Encrypt a YAML, JSON or dotenv file for the recipients its .sops.yaml rule names'
complete -c cfgctl -n "__fish_cfgctl_using_subcommand secrets; and not __fish_seen_subcommand_from keygen encrypt decrypt edit set unset get updatekeys rotate list check exec git-setup merge-driver textconv help" -f -a "decrypt" -d 'Decrypt a file (to stdout unless --in-place or --output)'
complete -c cfgctl -n "__fish_cfgctl_using_subcommand secrets; and not __fish_seen_subcommand_from keygen encrypt decrypt edit set unset get updatekeys rotate list check exec git-setup merge-driver textconv help" -f -a "edit" -d 'Decrypt to a private temporary file, open $EDITOR, validate, re-encrypt'
complete -c cfgctl -n "__fish_cfgctl_using_subcommand secrets; and not __fish_seen_subcommand_from keygen encrypt decrypt edit set unset get updatekeys rotate list check exec git-setup merge-driver textconv help" -f -a "set" -d 'Set one value (encrypted if the file\'s rule says so)'
complete -c cfgctl -n "__fish_cfgctl_using_subcommand secrets; and not __fish_seen_subcommand_from keygen encrypt decrypt edit set unset get updatekeys rotate list check exec git-setup merge-driver textconv help" -f -a "unset" -d 'Remove one value'
complete -c cfgctl -n "__fish_cfgctl_using_subcommand secrets; and not __fish_seen_subcommand_from keygen encrypt decrypt edit set unset get updatekeys rotate list check exec git-setup merge-driver textconv help" -f -a "get" -d 'Print one decrypted value'
complete -c cfgctl -n "__fish_cfgctl_using_subcommand secrets; and not __fish_seen_subcommand_from keygen encrypt decrypt edit set unset get updatekeys rotate list check exec git-setup merge-driver textconv help" -f -a "updatekeys" -d 'Re-wrap data keys for the recipients .sops.yaml names now'
complete -c cfgctl -n "__fish_cfgctl_using_subcommand secrets; and not __fish_seen_subcommand_from keygen encrypt decrypt edit set unset get updatekeys rotate list check exec git-setup merge-driver textconv help" -f -a "rotate" -d 'Give files a new data key and re-encrypt every value'
complete -c cfgctl -n "__fish_cfgctl_using_subcommand secrets; and not __fish_seen_subcommand_from keygen encrypt decrypt edit set unset get updatekeys rotate list check exec git-setup merge-driver textconv help" -f -a "list" -d 'List the encrypted files: recipients, values, age (no key needed)'
complete -c cfgctl -n "__fish_cfgctl_using_subcommand secrets; and not __fish_seen_subcommand_from keygen encrypt decrypt edit set unset get updatekeys rotate list check exec git-setup merge-driver textconv help" -f -a "check" -d 'Check that what must be encrypted is, and that MACs verify (for pre-commit and CI)'
complete -c cfgctl -n "__fish_cfgctl_using_subcommand secrets; and not __fish_seen_subcommand_from keygen encrypt decrypt edit set unset get updatekeys rotate list check exec git-setup merge-driver textconv help" -f -a "exec" -d 'Run a command with a file\'s values as environment variables'
complete -c cfgctl -n "__fish_cfgctl_using_subcommand secrets; and not __fish_seen_subcommand_from keygen encrypt decrypt edit set unset get updatekeys rotate list check exec git-setup merge-driver textconv help" -f -a "git-setup" -d 'Make Git merge encrypted files by key path and show them decrypted in `git diff`'
complete -c cfgctl -n "__fish_cfgctl_using_subcommand secrets; and not __fish_seen_subcommand_from keygen encrypt decrypt edit set unset get updatekeys rotate list check exec git-setup merge-driver textconv help" -f -a "merge-driver" -d 'Merge an encrypted file three-way by key path (Git\'s merge driver; see git-setup)'
complete -c cfgctl -n "__fish_cfgctl_using_subcommand secrets; and not __fish_seen_subcommand_from keygen encrypt decrypt edit set unset get updatekeys rotate list check exec git-setup merge-driver textconv help" -f -a "textconv" -d 'Print an encrypted file decrypted, or masked without a key (Git\'s textconv; see git-setup)'
complete -c cfgctl -n "__fish_cfgctl_using_subcommand secrets; and not __fish_seen_subcommand_from keygen encrypt decrypt edit set unset get updatekeys rotate list check exec git-setup merge-driver textconv help" -f -a "help" -d 'Print this message or the help of the given subcommand(s)'
complete -c cfgctl -n "__fish_cfgctl_using_subcommand secrets; and __fish_seen_subcommand_from keygen" -s o -l output -d 'Where to write the identity (default: $XDG_CONFIG_HOME/sops/age/keys.txt)' -r -F
complete -c cfgctl -n "__fish_cfgctl_using_subcommand secrets; and __fish_seen_subcommand_from keygen" -s C -d 'Run as if started in DIR (the repository root is found from there)' -r -F
complete -c cfgctl -n "__fish_cfgctl_using_subcommand secrets; and __fish_seen_subcommand_from keygen" -l format -d 'Output format' -r -f -a "human\t'Readable text, coloured on a terminal'
json\t'One JSON document per run (`"version": 1`)'
github\t'GitHub Actions workflow annotations (findings only)'
junit\t'JUnit XML for CI test reports (findings only)'
gitlab\t'GitLab Code Quality report, JSON (findings only)'"
complete -c cfgctl -n "__fish_cfgctl_using_subcommand secrets; and __fish_seen_subcommand_from keygen" -l color -d 'When to colour human output (NO_COLOR is honoured with auto)' -r -f -a "auto\t'Colour when stdout is a terminal and NO_COLOR is unset'
always\t''
never\t''"
complete -c cfgctl -n "__fish_cfgctl_using_subcommand secrets; and __fish_seen_subcommand_from keygen" -s q -l quiet -d 'Print nothing but results, findings, blockers and errors (no status lines, notes, summaries or progress)'
complete -c cfgctl -n "__fish_cfgctl_using_subcommand secrets; and __fish_seen_subcommand_from keygen" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c cfgctl -n "__fish_cfgctl_using_subcommand secrets; and __fish_seen_subcommand_from keygen" -s V -l version -d 'Print version'
complete -c cfgctl -n "__fish_cfgctl_using_subcommand secrets; and __fish_seen_subcommand_from encrypt" -s o -l output -d 'Write the encrypted file here (its path picks the .sops.yaml rule)' -r -F
complete -c cfgctl -n "__fish_cfgctl_using_subcommand secrets; and __fish_seen_subcommand_from encrypt" -l age -d 'Encrypt for these recipients instead of the .sops.yaml rule\'s (repeatable)' -r
complete -c cfgctl -n "__fish_cfgctl_using_subcommand secrets; and __fish_seen_subcommand_from encrypt" -l config -d 'The .sops.yaml to take creation rules from (default: SOPS_CONFIG, else the nearest .sops.yaml in the current directory or its parents)' -r -F
complete -c cfgctl -n "__fish_cfgctl_using_subcommand secrets; and __fish_seen_subcommand_from encrypt" -s C -d 'Run as if started in DIR (the repository root is found from there)' -r -F
complete -c cfgctl -n "__fish_cfgctl_using_subcommand secrets; and __fish_seen_subcommand_from encrypt" -l format -d 'Output format' -r -f -a "human\t'Readable text, coloured on a terminal'
json\t'One JSON document per run (`"version": 1`)'
github\t'GitHub Actions workflow annotations (findings only)'
junit\t'JUnit XML for CI test reports (findings only)'
gitlab\t'GitLab Code Quality report, JSON (findings only)'"
complete -c cfgctl -n "__fish_cfgctl_using_subcommand secrets; and __fish_seen_subcommand_from encrypt" -l color -d 'When to colour human output (NO_COLOR is honoured with auto)' -r -f -a "auto\t'Colour when stdout is a terminal and NO_COLOR is unset'
always\t''
never\t''"
complete -c cfgctl -n "__fish_cfgctl_using_subcommand secrets; and __fish_seen_subcommand_from encrypt" -s i -l in-place -d 'Replace each FILE with its encrypted version'
complete -c cfgctl -n "__fish_cfgctl_using_subcommand secrets; and __fish_seen_subcommand_from encrypt" -s q -l quiet -d 'Print nothing but results, findings, blockers and errors (no status lines, notes, summaries or progress)'
complete -c cfgctl -n "__fish_cfgctl_using_subcommand secrets; and __fish_seen_subcommand_from encrypt" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c cfgctl -n "__fish_cfgctl_using_subcommand secrets; and __fish_seen_subcommand_from encrypt" -s V -l version -d 'Print version'
complete -c cfgctl -n "__fish_cfgctl_using_subcommand secrets; and __fish_seen_subcommand_from decrypt" -s o -l output -d 'Write the plaintext here' -r -F
complete -c cfgctl -n "__fish_cfgctl_using_subcommand secrets; and __fish_seen_subcommand_from decrypt" -l identity -d 'An age identity file to decrypt with (repeatable); tried before SOPS_AGE_KEY, SOPS_AGE_KEY_FILE, the default keys.txt and ~/.ssh keys' -r -F
complete -c cfgctl -n "__fish_cfgctl_using_subcommand secrets; and __fish_seen_subcommand_from decrypt" -s C -d 'Run as if started in DIR (the repository root is found from there)' -r -F
complete -c cfgctl -n "__fish_cfgctl_using_subcommand secrets; and __fish_seen_subcommand_from decrypt" -l format -d 'Output format' -r -f -a "human\t'Readable text, coloured on a terminal'
json\t'One JSON document per run (`"version": 1`)'
github\t'GitHub Actions workflow annotations (findings only)'
junit\t'JUnit XML for CI test reports (findings only)'
gitlab\t'GitLab Code Quality report, JSON (findings only)'"
complete -c cfgctl -n "__fish_cfgctl_using_subcommand secrets; and __fish_seen_subcommand_from decrypt" -l color -d 'When to colour human output (NO_COLOR is honoured with auto)' -r -f -a "auto\t'Colour when stdout is a terminal and NO_COLOR is unset'
always\t''
never\t''"
complete -c cfgctl -n "__fish_cfgctl_using_subcommand secrets; and __fish_seen_subcommand_from decrypt" -s i -l in-place -d 'Replace FILE with the decrypted version'
complete -c cfgctl -n "__fish_cfgctl_using_subcommand secrets; and __fish_seen_subcommand_from decrypt" -l force -d 'Write plaintext even into a file Git tracks'
complete -c cfgctl -n "__fish_cfgctl_using_subcommand secrets; and __fish_seen_subcommand_from decrypt" -s q -l quiet -d 'Print nothing but results, findings, blockers and errors (no status lines, notes, summaries or progress)'
complete -c cfgctl -n "__fish_cfgctl_using_subcommand secrets; and __fish_seen_subcommand_from decrypt" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c cfgctl -n "__fish_cfgctl_using_subcommand secrets; and __fish_seen_subcommand_from decrypt" -s V -l version -d 'Print version'
complete -c cfgctl -n "__fish_cfgctl_using_subcommand secrets; and __fish_seen_subcommand_from edit" -l identity -d 'An age identity file to decrypt with (repeatable); tried before SOPS_AGE_KEY, SOPS_AGE_KEY_FILE, the default keys.txt and ~/.ssh keys' -r -F
complete -c cfgctl -n "__fish_cfgctl_using_subcommand secrets; and __fish_seen_subcommand_from edit" -l config -d 'The .sops.yaml to take creation rules from (default: SOPS_CONFIG, else the nearest .sops.yaml in the current directory or its parents)' -r -F
complete -c cfgctl -n "__fish_cfgctl_using_subcommand secrets; and __fish_seen_subcommand_from edit" -s C -d 'Run as if started in DIR (the repository root is found from there)' -r -F
complete -c cfgctl -n "__fish_cfgctl_using_subcommand secrets; and __fish_seen_subcommand_from edit" -l format -d 'Output format' -r -f -a "human\t'Readable text, coloured on a terminal'
json\t'One JSON document per run (`"version": 1`)'
github\t'GitHub Actions workflow annotations (findings only)'
junit\t'JUnit XML for CI test reports (findings only)'
gitlab\t'GitLab Code Quality report, JSON (findings only)'"
complete -c cfgctl -n "__fish_cfgctl_using_subcommand secrets; and __fish_seen_subcommand_from edit" -l color -d 'When to colour human output (NO_COLOR is honoured with auto)' -r -f -a "auto\t'Colour when stdout is a terminal and NO_COLOR is unset'
always\t''
never\t''"
complete -c cfgctl -n "__fish_cfgctl_using_subcommand secrets; and __fish_seen_subcommand_from edit" -s q -l quiet -d 'Print nothing but results, findings, blockers and errors (no status lines, notes, summaries or progress)'
complete -c cfgctl -n "__fish_cfgctl_using_subcommand secrets; and __fish_seen_subcommand_from edit" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c cfgctl -n "__fish_cfgctl_using_subcommand secrets; and __fish_seen_subcommand_from edit" -s V -l version -d 'Print version'
complete -c cfgctl -n "__fish_cfgctl_using_subcommand secrets; and __fish_seen_subcommand_from set" -l identity -d 'An age identity file to decrypt with (repeatable); tried before SOPS_AGE_KEY, SOPS_AGE_KEY_FILE, the default keys.txt and ~/.ssh keys' -r -F
complete -c cfgctl -n "__fish_cfgctl_using_subcommand secrets; and __fish_seen_subcommand_from set" -s m -l message -d 'The commit subject (with --commit)' -r
complete -c cfgctl -n "__fish_cfgctl_using_subcommand secrets; and __fish_seen_subcommand_from set" -l approved-by -d 'Record an approval as an Approved-by trailer ("Name <email>"); repeatable' -r
complete -c cfgctl -n "__fish_cfgctl_using_subcommand secrets; and __fish_seen_subcommand_from set" -l emergency -d 'Write inside a freeze window or outside the allowed hours, recording why' -r
complete -c cfgctl -n "__fish_cfgctl_using_subcommand secrets; and __fish_seen_subcommand_from set" -l reason -d 'Why the change is made, recorded as a Cfgctl-Reason trailer and shown by `log`' -r
complete -c cfgctl -n "__fish_cfgctl_using_subcommand secrets; and __fish_seen_subcommand_from set" -s C -d 'Run as if started in DIR (the repository root is found from there)' -r -F
complete -c cfgctl -n "__fish_cfgctl_using_subcommand secrets; and __fish_seen_subcommand_from set" -l format -d 'Output format' -r -f -a "human\t'Readable text, coloured on a terminal'
json\t'One JSON document per run (`"version": 1`)'
github\t'GitHub Actions workflow annotations (findings only)'
junit\t'JUnit XML for CI test reports (findings only)'
gitlab\t'GitLab Code Quality report, JSON (findings only)'"
complete -c cfgctl -n "__fish_cfgctl_using_subcommand secrets; and __fish_seen_subcommand_from set" -l color -d 'When to colour human output (NO_COLOR is honoured with auto)' -r -f -a "auto\t'Colour when stdout is a terminal and NO_COLOR is unset'
always\t''
never\t''"
complete -c cfgctl -n "__fish_cfgctl_using_subcommand secrets; and __fish_seen_subcommand_from set" -l stdin -d 'Read the value from standard input (keeps it out of shell history)'
complete -c cfgctl -n "__fish_cfgctl_using_subcommand secrets; and __fish_seen_subcommand_from set" -l json -d 'Parse the value as JSON (numbers, booleans, lists, objects)'
complete -c cfgctl -n "__fish_cfgctl_using_subcommand secrets; and __fish_seen_subcommand_from set" -l commit -d 'Commit the change through the write pipeline and policy, instead of editing the working tree file'
complete -c cfgctl -n "__fish_cfgctl_using_subcommand secrets; and __fish_seen_subcommand_from set" -l execute -d 'Make the change and commit it (without it, only the plan is shown)'
complete -c cfgctl -n "__fish_cfgctl_using_subcommand secrets; and __fish_seen_subcommand_from set" -s q -l quiet -d 'Print nothing but results, findings, blockers and errors (no status lines, notes, summaries or progress)'
complete -c cfgctl -n "__fish_cfgctl_using_subcommand secrets; and __fish_seen_subcommand_from set" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c cfgctl -n "__fish_cfgctl_using_subcommand secrets; and __fish_seen_subcommand_from set" -s V -l version -d 'Print version'
complete -c cfgctl -n "__fish_cfgctl_using_subcommand secrets; and __fish_seen_subcommand_from unset" -l identity -d 'An age identity file to decrypt with (repeatable); tried before SOPS_AGE_KEY, SOPS_AGE_KEY_FILE, the default keys.txt and ~/.ssh keys' -r -F
complete -c cfgctl -n "__fish_cfgctl_using_subcommand secrets; and __fish_seen_subcommand_from unset" -s m -l message -d 'The commit subject (with --commit)' -r
complete -c cfgctl -n "__fish_cfgctl_using_subcommand secrets; and __fish_seen_subcommand_from unset" -l approved-by -d 'Record an approval as an Approved-by trailer ("Name <email>"); repeatable' -r
complete -c cfgctl -n "__fish_cfgctl_using_subcommand secrets; and __fish_seen_subcommand_from unset" -l emergency -d 'Write inside a freeze window or outside the allowed hours, recording why' -r
complete -c cfgctl -n "__fish_cfgctl_using_subcommand secrets; and __fish_seen_subcommand_from unset" -l reason -d 'Why the change is made, recorded as a Cfgctl-Reason trailer and shown by `log`' -r
complete -c cfgctl -n "__fish_cfgctl_using_subcommand secrets; and __fish_seen_subcommand_from unset" -s C -d 'Run as if started in DIR (the repository root is found from there)' -r -F
complete -c cfgctl -n "__fish_cfgctl_using_subcommand secrets; and __fish_seen_subcommand_from unset" -l format -d 'Output format' -r -f -a "human\t'Readable text, coloured on a terminal'
json\t'One JSON document per run (`"version": 1`)'
github\t'GitHub Actions workflow annotations (findings only)'
junit\t'JUnit XML for CI test reports (findings only)'
gitlab\t'GitLab Code Quality report, JSON (findings only)'"
complete -c cfgctl -n "__fish_cfgctl_using_subcommand secrets; and __fish_seen_subcommand_from unset" -l color -d 'When to colour human output (NO_COLOR is honoured with auto)' -r -f -a "auto\t'Colour when stdout is a terminal and NO_COLOR is unset'
always\t''
never\t''"
complete -c cfgctl -n "__fish_cfgctl_using_subcommand secrets; and __fish_seen_subcommand_from unset" -l commit -d 'Commit the change through the write pipeline and policy, instead of editing the working tree file'
complete -c cfgctl -n "__fish_cfgctl_using_subcommand secrets; and __fish_seen_subcommand_from unset" -l execute -d 'Make the change and commit it (without it, only the plan is shown)'
complete -c cfgctl -n "__fish_cfgctl_using_subcommand secrets; and __fish_seen_subcommand_from unset" -s q -l quiet -d 'Print nothing but results, findings, blockers and errors (no status lines, notes, summaries or progress)'
complete -c cfgctl -n "__fish_cfgctl_using_subcommand secrets; and __fish_seen_subcommand_from unset" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c cfgctl -n "__fish_cfgctl_using_subcommand secrets; and __fish_seen_subcommand_from unset" -s V -l version -d 'Print version'
complete -c cfgctl -n "__fish_cfgctl_using_subcommand secrets; and __fish_seen_subcommand_from get" -l identity -d 'An age identity file to decrypt with (repeatable); tried before SOPS_AGE_KEY, SOPS_AGE_KEY_FILE, the default keys.txt and ~/.ssh keys' -r -F
complete -c cfgctl -n "__fish_cfgctl_using_subcommand secrets; and __fish_seen_subcommand_from get" -s C -d 'Run as if started in DIR (the repository root is found from there)' -r -F
complete -c cfgctl -n "__fish_cfgctl_using_subcommand secrets; and __fish_seen_subcommand_from get" -l format -d 'Output format' -r -f -a "human\t'Readable text, coloured on a terminal'
json\t'One JSON document per run (`"version": 1`)'
github\t'GitHub Actions workflow annotations (findings only)'
junit\t'JUnit XML for CI test reports (findings only)'
gitlab\t'GitLab Code Quality report, JSON (findings only)'"
complete -c cfgctl -n "__fish_cfgctl_using_subcommand secrets; and __fish_seen_subcommand_from get" -l color -d 'When to colour human output (NO_COLOR is honoured with auto)' -r -f -a "auto\t'Colour when stdout is a terminal and NO_COLOR is unset'
always\t''
never\t''"
complete -c cfgctl -n "__fish_cfgctl_using_subcommand secrets; and __fish_seen_subcommand_from get" -s q -l quiet -d 'Print nothing but results, findings, blockers and errors (no status lines, notes, summaries or progress)'
complete -c cfgctl -n "__fish_cfgctl_using_subcommand secrets; and __fish_seen_subcommand_from get" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c cfgctl -n "__fish_cfgctl_using_subcommand secrets; and __fish_seen_subcommand_from get" -s V -l version -d 'Print version'
complete -c cfgctl -n "__fish_cfgctl_using_subcommand secrets; and __fish_seen_subcommand_from updatekeys" -l identity -d 'An age identity file to decrypt with (repeatable); tried before SOPS_AGE_KEY, SOPS_AGE_KEY_FILE, the default keys.txt and ~/.ssh keys' -r -F
complete -c cfgctl -n "__fish_cfgctl_using_subcommand secrets; and __fish_seen_subcommand_from updatekeys" -l config -d 'The .sops.yaml to take creation rules from (default: SOPS_CONFIG, else the nearest .sops.yaml in the current directory or its parents)' -r -F
complete -c cfgctl -n "__fish_cfgctl_using_subcommand secrets; and __fish_seen_subcommand_from updatekeys" -s C -d 'Run as if started in DIR (the repository root is found from there)' -r -F
complete -c cfgctl -n "__fish_cfgctl_using_subcommand secrets; and __fish_seen_subcommand_from updatekeys" -l format -d 'Output format' -r -f -a "human\t'Readable text, coloured on a terminal'
json\t'One JSON document per run (`"version": 1`)'
github\t'GitHub Actions workflow annotations (findings only)'
junit\t'JUnit XML for CI test reports (findings only)'
gitlab\t'GitLab Code Quality report, JSON (findings only)'"
complete -c cfgctl -n "__fish_cfgctl_using_subcommand secrets; and __fish_seen_subcommand_from updatekeys" -l color -d 'When to colour human output (NO_COLOR is honoured with auto)' -r -f -a "auto\t'Colour when stdout is a terminal and NO_COLOR is unset'
always\t''
never\t''"
complete -c cfgctl -n "__fish_cfgctl_using_subcommand secrets; and __fish_seen_subcommand_from updatekeys" -l dry-run -d 'Show what would change without writing'
complete -c cfgctl -n "__fish_cfgctl_using_subcommand secrets; and __fish_seen_subcommand_from updatekeys" -s q -l quiet -d 'Print nothing but results, findings, blockers and errors (no status lines, notes, summaries or progress)'
complete -c cfgctl -n "__fish_cfgctl_using_subcommand secrets; and __fish_seen_subcommand_from updatekeys" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c cfgctl -n "__fish_cfgctl_using_subcommand secrets; and __fish_seen_subcommand_from updatekeys" -s V -l version -d 'Print version'
complete -c cfgctl -n "__fish_cfgctl_using_subcommand secrets; and __fish_seen_subcommand_from rotate" -l identity -d 'An age identity file to decrypt with (repeatable); tried before SOPS_AGE_KEY, SOPS_AGE_KEY_FILE, the default keys.txt and ~/.ssh keys' -r -F
complete -c cfgctl -n "__fish_cfgctl_using_subcommand secrets; and __fish_seen_subcommand_from rotate" -l config -d 'The .sops.yaml to take creation rules from (default: SOPS_CONFIG, else the nearest .sops.yaml in the current directory or its parents)' -r -F
complete -c cfgctl -n "__fish_cfgctl_using_subcommand secrets; and __fish_seen_subcommand_from rotate" -s C -d 'Run as if started in DIR (the repository root is found from there)' -r -F
complete -c cfgctl -n "__fish_cfgctl_using_subcommand secrets; and __fish_seen_subcommand_from rotate" -l format -d 'Output format' -r -f -a "human\t'Readable text, coloured on a terminal'
json\t'One JSON document per run (`"version": 1`)'
github\t'GitHub Actions workflow annotations (findings only)'
junit\t'JUnit XML for CI test reports (findings only)'
gitlab\t'GitLab Code Quality report, JSON (findings only)'"
complete -c cfgctl -n "__fish_cfgctl_using_subcommand secrets; and __fish_seen_subcommand_from rotate" -l color -d 'When to colour human output (NO_COLOR is honoured with auto)' -r -f -a "auto\t'Colour when stdout is a terminal and NO_COLOR is unset'
always\t''
never\t''"
complete -c cfgctl -n "__fish_cfgctl_using_subcommand secrets; and __fish_seen_subcommand_from rotate" -l dry-run -d 'Show what would change without writing'
complete -c cfgctl -n "__fish_cfgctl_using_subcommand secrets; and __fish_seen_subcommand_from rotate" -s q -l quiet -d 'Print nothing but results, findings, blockers and errors (no status lines, notes, summaries or progress)'
complete -c cfgctl -n "__fish_cfgctl_using_subcommand secrets; and __fish_seen_subcommand_from rotate" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c cfgctl -n "__fish_cfgctl_using_subcommand secrets; and __fish_seen_subcommand_from rotate" -s V -l version -d 'Print version'
complete -c cfgctl -n "__fish_cfgctl_using_subcommand secrets; and __fish_seen_subcommand_from list" -s C -d 'Run as if started in DIR (the repository root is found from there)' -r -F
complete -c cfgctl -n "__fish_cfgctl_using_subcommand secrets; and __fish_seen_subcommand_from list" -l format -d 'Output format' -r -f -a "human\t'Readable text, coloured on a terminal'
json\t'One JSON document per run (`"version": 1`)'
github\t'GitHub Actions workflow annotations (findings only)'
junit\t'JUnit XML for CI test reports (findings only)'
gitlab\t'GitLab Code Quality report, JSON (findings only)'"
complete -c cfgctl -n "__fish_cfgctl_using_subcommand secrets; and __fish_seen_subcommand_from list" -l color -d 'When to colour human output (NO_COLOR is honoured with auto)' -r -f -a "auto\t'Colour when stdout is a terminal and NO_COLOR is unset'
always\t''
never\t''"
complete -c cfgctl -n "__fish_cfgctl_using_subcommand secrets; and __fish_seen_subcommand_from list" -s q -l quiet -d 'Print nothing but results, findings, blockers and errors (no status lines, notes, summaries or progress)'
complete -c cfgctl -n "__fish_cfgctl_using_subcommand secrets; and __fish_seen_subcommand_from list" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c cfgctl -n "__fish_cfgctl_using_subcommand secrets; and __fish_seen_subcommand_from list" -s V -l version -d 'Print version'
complete -c cfgctl -n "__fish_cfgctl_using_subcommand secrets; and __fish_seen_subcommand_from check" -l max-age -d 'Report encrypted files whose values were last written longer ago than this (`lastmodified`; a number and h, d, w or y: 90d, 12w, 1y)' -r
complete -c cfgctl -n "__fish_cfgctl_using_subcommand secrets; and __fish_seen_subcommand_from check" -l identity -d 'An age identity file to decrypt with (repeatable); tried before SOPS_AGE_KEY, SOPS_AGE_KEY_FILE, the default keys.txt and ~/.ssh keys' -r -F
complete -c cfgctl -n "__fish_cfgctl_using_subcommand secrets; and __fish_seen_subcommand_from check" -l config -d 'The .sops.yaml to take creation rules from (default: SOPS_CONFIG, else the nearest .sops.yaml in the current directory or its parents)' -r -F
complete -c cfgctl -n "__fish_cfgctl_using_subcommand secrets; and __fish_seen_subcommand_from check" -s C -d 'Run as if started in DIR (the repository root is found from there)' -r -F
complete -c cfgctl -n "__fish_cfgctl_using_subcommand secrets; and __fish_seen_subcommand_from check" -l format -d 'Output format' -r -f -a "human\t'Readable text, coloured on a terminal'
json\t'One JSON document per run (`"version": 1`)'
github\t'GitHub Actions workflow annotations (findings only)'
junit\t'JUnit XML for CI test reports (findings only)'
gitlab\t'GitLab Code Quality report, JSON (findings only)'"
complete -c cfgctl -n "__fish_cfgctl_using_subcommand secrets; and __fish_seen_subcommand_from check" -l color -d 'When to colour human output (NO_COLOR is honoured with auto)' -r -f -a "auto\t'Colour when stdout is a terminal and NO_COLOR is unset'
always\t''
never\t''"
complete -c cfgctl -n "__fish_cfgctl_using_subcommand secrets; and __fish_seen_subcommand_from check" -s q -l quiet -d 'Print nothing but results, findings, blockers and errors (no status lines, notes, summaries or progress)'
complete -c cfgctl -n "__fish_cfgctl_using_subcommand secrets; and __fish_seen_subcommand_from check" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c cfgctl -n "__fish_cfgctl_using_subcommand secrets; and __fish_seen_subcommand_from check" -s V -l version -d 'Print version'
complete -c cfgctl -n "__fish_cfgctl_using_subcommand secrets; and __fish_seen_subcommand_from exec" -l identity -d 'An age identity file to decrypt with (repeatable); tried before SOPS_AGE_KEY, SOPS_AGE_KEY_FILE, the default keys.txt and ~/.ssh keys' -r -F
complete -c cfgctl -n "__fish_cfgctl_using_subcommand secrets; and __fish_seen_subcommand_from exec" -s C -d 'Run as if started in DIR (the repository root is found from there)' -r -F
complete -c cfgctl -n "__fish_cfgctl_using_subcommand secrets; and __fish_seen_subcommand_from exec" -l format -d 'Output format' -r -f -a "human\t'Readable text, coloured on a terminal'
json\t'One JSON document per run (`"version": 1`)'
github\t'GitHub Actions workflow annotations (findings only)'
junit\t'JUnit XML for CI test reports (findings only)'
gitlab\t'GitLab Code Quality report, JSON (findings only)'"
complete -c cfgctl -n "__fish_cfgctl_using_subcommand secrets; and __fish_seen_subcommand_from exec" -l color -d 'When to colour human output (NO_COLOR is honoured with auto)' -r -f -a "auto\t'Colour when stdout is a terminal and NO_COLOR is unset'
always\t''
never\t''"
complete -c cfgctl -n "__fish_cfgctl_using_subcommand secrets; and __fish_seen_subcommand_from exec" -s q -l quiet -d 'Print nothing but results, findings, blockers and errors (no status lines, notes, summaries or progress)'
complete -c cfgctl -n "__fish_cfgctl_using_subcommand secrets; and __fish_seen_subcommand_from exec" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c cfgctl -n "__fish_cfgctl_using_subcommand secrets; and __fish_seen_subcommand_from exec" -s V -l version -d 'Print version'
complete -c cfgctl -n "__fish_cfgctl_using_subcommand secrets; and __fish_seen_subcommand_from git-setup" -s C -d 'Run as if started in DIR (the repository root is found from there)' -r -F
complete -c cfgctl -n "__fish_cfgctl_using_subcommand secrets; and __fish_seen_subcommand_from git-setup" -l format -d 'Output format' -r -f -a "human\t'Readable text, coloured on a terminal'
json\t'One JSON document per run (`"version": 1`)'
github\t'GitHub Actions workflow annotations (findings only)'
junit\t'JUnit XML for CI test reports (findings only)'
gitlab\t'GitLab Code Quality report, JSON (findings only)'"
complete -c cfgctl -n "__fish_cfgctl_using_subcommand secrets; and __fish_seen_subcommand_from git-setup" -l color -d 'When to colour human output (NO_COLOR is honoured with auto)' -r -f -a "auto\t'Colour when stdout is a terminal and NO_COLOR is unset'
always\t''
never\t''"
complete -c cfgctl -n "__fish_cfgctl_using_subcommand secrets; and __fish_seen_subcommand_from git-setup" -l dry-run -d 'Show what would be written without writing it'
complete -c cfgctl -n "__fish_cfgctl_using_subcommand secrets; and __fish_seen_subcommand_from git-setup" -s q -l quiet -d 'Print nothing but results, findings, blockers and errors (no status lines, notes, summaries or progress)'
complete -c cfgctl -n "__fish_cfgctl_using_subcommand secrets; and __fish_seen_subcommand_from git-setup" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c cfgctl -n "__fish_cfgctl_using_subcommand secrets; and __fish_seen_subcommand_from git-setup" -s V -l version -d 'Print version'
complete -c cfgctl -n "__fish_cfgctl_using_subcommand secrets; and __fish_seen_subcommand_from merge-driver" -l identity -d 'An age identity file to decrypt with (repeatable); tried before SOPS_AGE_KEY, SOPS_AGE_KEY_FILE, the default keys.txt and ~/.ssh keys' -r -F
complete -c cfgctl -n "__fish_cfgctl_using_subcommand secrets; and __fish_seen_subcommand_from merge-driver" -s C -d 'Run as if started in DIR (the repository root is found from there)' -r -F
complete -c cfgctl -n "__fish_cfgctl_using_subcommand secrets; and __fish_seen_subcommand_from merge-driver" -l format -d 'Output format' -r -f -a "human\t'Readable text, coloured on a terminal'
json\t'One JSON document per run (`"version": 1`)'
github\t'GitHub Actions workflow annotations (findings only)'
junit\t'JUnit XML for CI test reports (findings only)'
gitlab\t'GitLab Code Quality report, JSON (findings only)'"
complete -c cfgctl -n "__fish_cfgctl_using_subcommand secrets; and __fish_seen_subcommand_from merge-driver" -l color -d 'When to colour human output (NO_COLOR is honoured with auto)' -r -f -a "auto\t'Colour when stdout is a terminal and NO_COLOR is unset'
always\t''
never\t''"
complete -c cfgctl -n "__fish_cfgctl_using_subcommand secrets; and __fish_seen_subcommand_from merge-driver" -s q -l quiet -d 'Print nothing but results, findings, blockers and errors (no status lines, notes, summaries or progress)'
complete -c cfgctl -n "__fish_cfgctl_using_subcommand secrets; and __fish_seen_subcommand_from merge-driver" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c cfgctl -n "__fish_cfgctl_using_subcommand secrets; and __fish_seen_subcommand_from merge-driver" -s V -l version -d 'Print version'
complete -c cfgctl -n "__fish_cfgctl_using_subcommand secrets; and __fish_seen_subcommand_from textconv" -l identity -d 'An age identity file to decrypt with (repeatable); tried before SOPS_AGE_KEY, SOPS_AGE_KEY_FILE, the default keys.txt and ~/.ssh keys' -r -F
complete -c cfgctl -n "__fish_cfgctl_using_subcommand secrets; and __fish_seen_subcommand_from textconv" -s C -d 'Run as if started in DIR (the repository root is found from there)' -r -F
complete -c cfgctl -n "__fish_cfgctl_using_subcommand secrets; and __fish_seen_subcommand_from textconv" -l format -d 'Output format' -r -f -a "human\t'Readable text, coloured on a terminal'
json\t'One JSON document per run (`"version": 1`)'
github\t'GitHub Actions workflow annotations (findings only)'
junit\t'JUnit XML for CI test reports (findings only)'
gitlab\t'GitLab Code Quality report, JSON (findings only)'"
complete -c cfgctl -n "__fish_cfgctl_using_subcommand secrets; and __fish_seen_subcommand_from textconv" -l color -d 'When to colour human output (NO_COLOR is honoured with auto)' -r -f -a "auto\t'Colour when stdout is a terminal and NO_COLOR is unset'
always\t''
never\t''"
complete -c cfgctl -n "__fish_cfgctl_using_subcommand secrets; and __fish_seen_subcommand_from textconv" -s q -l quiet -d 'Print nothing but results, findings, blockers and errors (no status lines, notes, summaries or progress)'
complete -c cfgctl -n "__fish_cfgctl_using_subcommand secrets; and __fish_seen_subcommand_from textconv" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c cfgctl -n "__fish_cfgctl_using_subcommand secrets; and __fish_seen_subcommand_from textconv" -s V -l version -d 'Print version'
complete -c cfgctl -n "__fish_cfgctl_using_subcommand secrets; and __fish_seen_subcommand_from help" -f -a "keygen" -d 'Create an age identity where sops looks for it and print its public recipient'
complete -c cfgctl -n "__fish_cfgctl_using_subcommand secrets; and __fish_seen_subcommand_from help" -f -a "encrypt" -d 'Encrypt a YAML, JSON or dotenv file for the recipients its .sops.yaml rule names'
complete -c cfgctl -n "__fish_cfgctl_using_subcommand secrets; and __fish_seen_subcommand_from help" -f -a "decrypt" -d 'Decrypt a file (to stdout unless --in-place or --output)'
complete -c cfgctl -n "__fish_cfgctl_using_subcommand secrets; and __fish_seen_subcommand_from help" -f -a "edit" -d 'Decrypt to a private temporary file, open $EDITOR, validate, re-encrypt'
complete -c cfgctl -n "__fish_cfgctl_using_subcommand secrets; and __fish_seen_subcommand_from help" -f -a "set" -d 'Set one value (encrypted if the file\'s rule says so)'
complete -c cfgctl -n "__fish_cfgctl_using_subcommand secrets; and __fish_seen_subcommand_from help" -f -a "unset" -d 'Remove one value'
complete -c cfgctl -n "__fish_cfgctl_using_subcommand secrets; and __fish_seen_subcommand_from help" -f -a "get" -d 'Print one decrypted value'
complete -c cfgctl -n "__fish_cfgctl_using_subcommand secrets; and __fish_seen_subcommand_from help" -f -a "updatekeys" -d 'Re-wrap data keys for the recipients .sops.yaml names now'
complete -c cfgctl -n "__fish_cfgctl_using_subcommand secrets; and __fish_seen_subcommand_from help" -f -a "rotate" -d 'Give files a new data key and re-encrypt every value'
complete -c cfgctl -n "__fish_cfgctl_using_subcommand secrets; and __fish_seen_subcommand_from help" -f -a "list" -d 'List the encrypted files: recipients, values, age (no key needed)'
complete -c cfgctl -n "__fish_cfgctl_using_subcommand secrets; and __fish_seen_subcommand_from help" -f -a "check" -d 'Check that what must be encrypted is, and that MACs verify (for pre-commit and CI)'
complete -c cfgctl -n "__fish_cfgctl_using_subcommand secrets; and __fish_seen_subcommand_from help" -f -a "exec" -d 'Run a command with a file\'s values as environment variables'
complete -c cfgctl -n "__fish_cfgctl_using_subcommand secrets; and __fish_seen_subcommand_from help" -f -a "git-setup" -d 'Make Git merge encrypted files by key path and show them decrypted in `git diff`'
complete -c cfgctl -n "__fish_cfgctl_using_subcommand secrets; and __fish_seen_subcommand_from help" -f -a "merge-driver" -d 'Merge an encrypted file three-way by key path (Git\'s merge driver; see git-setup)'
complete -c cfgctl -n "__fish_cfgctl_using_subcommand secrets; and __fish_seen_subcommand_from help" -f -a "textconv" -d 'Print an encrypted file decrypted, or masked without a key (Git\'s textconv; see git-setup)'
complete -c cfgctl -n "__fish_cfgctl_using_subcommand secrets; and __fish_seen_subcommand_from help" -f -a "help" -d 'Print this message or the help of the given subcommand(s)'
complete -c cfgctl -n "__fish_cfgctl_using_subcommand packs; and not __fish_seen_subcommand_from validate release list verify activate rollback help" -s C -d 'Run as if started in DIR (the repository root is found from there)' -r -F
complete -c cfgctl -n "__fish_cfgctl_using_subcommand packs; and not __fish_seen_subcommand_from validate release list verify activate rollback help" -l format -d 'Output format' -r -f -a "human\t'Readable text, coloured on a terminal'
json\t'One JSON document per run (`"version": 1`)'
github\t'GitHub Actions workflow annotations (findings only)'
junit\t'JUnit XML for CI test reports (findings only)'
gitlab\t'GitLab Code Quality report, JSON (findings only)'"
complete -c cfgctl -n "__fish_cfgctl_using_subcommand packs; and not __fish_seen_subcommand_from validate release list verify activate rollback help" -l color -d 'When to colour human output (NO_COLOR is honoured with auto)' -r -f -a "auto\t'Colour when stdout is a terminal and NO_COLOR is unset'
always\t''
never\t''"
complete -c cfgctl -n "__fish_cfgctl_using_subcommand packs; and not __fish_seen_subcommand_from validate release list verify activate rollback help" -s q -l quiet -d 'Print nothing but results, findings, blockers and errors (no status lines, notes, summaries or progress)'
complete -c cfgctl -n "__fish_cfgctl_using_subcommand packs; and not __fish_seen_subcommand_from validate release list verify activate rollback help" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c cfgctl -n "__fish_cfgctl_using_subcommand packs; and not __fish_seen_subcommand_from validate release list verify activate rollback help" -s V -l version -d 'Print version'
complete -c cfgctl -n "__fish_cfgctl_using_subcommand packs; and not __fish_seen_subcommand_from validate release list verify activate rollback help" -f -a "validate" -d 'Check packs: manifest, files, integrity, patterns, pack level (checks M1 … K6)'
complete -c cfgctl -n "__fish_cfgctl_using_subcommand packs; and not __fish_seen_subcommand_from validate release list verify activate rollback help" -f -a "release" -d 'Write CHECKSUMS.sha256 and the digest, commit, and tag packs/PACK/vVERSION'
complete -c cfgctl -n "__fish_cfgctl_using_subcommand packs; and not __fish_seen_subcommand_from validate release list verify activate rollback help" -f -a "list" -d 'List released versions from their tags, and where each is active'
complete -c cfgctl -n "__fish_cfgctl_using_subcommand packs; and not __fish_seen_subcommand_from validate release list verify activate rollback help" -f -a "verify" -d 'Recompute a release\'s checksums and digest from its tag and compare'
complete -c cfgctl -n "__fish_cfgctl_using_subcommand packs; and not __fish_seen_subcommand_from validate release list verify activate rollback help" -f -a "activate" -d 'Make a released version the active one in an environment'
complete -c cfgctl -n "__fish_cfgctl_using_subcommand packs; and not __fish_seen_subcommand_from validate release list verify activate rollback help" -f -a "rollback" -d 'Re-activate the version that was active before in an environment'
complete -c cfgctl -n "__fish_cfgctl_using_subcommand packs; and not __fish_seen_subcommand_from validate release list verify activate rollback help" -f -a "help" -d 'Print this message or the help of the given subcommand(s)'
complete -c cfgctl -n "__fish_cfgctl_using_subcommand packs; and __fish_seen_subcommand_from validate" -s C -d 'Run as if started in DIR (the repository root is found from there)' -r -F
complete -c cfgctl -n "__fish_cfgctl_using_subcommand packs; and __fish_seen_subcommand_from validate" -l format -d 'Output format' -r -f -a "human\t'Readable text, coloured on a terminal'
json\t'One JSON document per run (`"version": 1`)'
github\t'GitHub Actions workflow annotations (findings only)'
junit\t'JUnit XML for CI test reports (findings only)'
gitlab\t'GitLab Code Quality report, JSON (findings only)'"
complete -c cfgctl -n "__fish_cfgctl_using_subcommand packs; and __fish_seen_subcommand_from validate" -l color -d 'When to colour human output (NO_COLOR is honoured with auto)' -r -f -a "auto\t'Colour when stdout is a terminal and NO_COLOR is unset'
always\t''
never\t''"
complete -c cfgctl -n "__fish_cfgctl_using_subcommand packs; and __fish_seen_subcommand_from validate" -l deny-warnings -d 'Exit 1 on warnings too'
complete -c cfgctl -n "__fish_cfgctl_using_subcommand packs; and __fish_seen_subcommand_from validate" -l no-cache -d 'Check every pack again instead of taking unchanged packs\' results from the cache in .git/cfgctl/cache (the results are the same either way)'
complete -c cfgctl -n "__fish_cfgctl_using_subcommand packs; and __fish_seen_subcommand_from validate" -s q -l quiet -d 'Print nothing but results, findings, blockers and errors (no status lines, notes, summaries or progress)'
complete -c cfgctl -n "__fish_cfgctl_using_subcommand packs; and __fish_seen_subcommand_from validate" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c cfgctl -n "__fish_cfgctl_using_subcommand packs; and __fish_seen_subcommand_from validate" -s V -l version -d 'Print version'
complete -c cfgctl -n "__fish_cfgctl_using_subcommand packs; and __fish_seen_subcommand_from release" -l approved-by -d 'Record an approval as an Approved-by trailer ("Name <email>"); repeatable' -r
complete -c cfgctl -n "__fish_cfgctl_using_subcommand packs; and __fish_seen_subcommand_from release" -l emergency -d 'Write inside a freeze window or outside the allowed hours, recording why' -r
complete -c cfgctl -n "__fish_cfgctl_using_subcommand packs; and __fish_seen_subcommand_from release" -l reason -d 'Why the change is made, recorded as a Cfgctl-Reason trailer and shown by `log`' -r
complete -c cfgctl -n "__fish_cfgctl_using_subcommand packs; and __fish_seen_subcommand_from release" -s C -d 'Run as if started in DIR (the repository root is found from there)' -r -F
complete -c cfgctl -n "__fish_cfgctl_using_subcommand packs; and __fish_seen_subcommand_from release" -l format -d 'Output format' -r -f -a "human\t'Readable text, coloured on a terminal'
json\t'One JSON document per run (`"version": 1`)'
github\t'GitHub Actions workflow annotations (findings only)'
junit\t'JUnit XML for CI test reports (findings only)'
gitlab\t'GitLab Code Quality report, JSON (findings only)'"
complete -c cfgctl -n "__fish_cfgctl_using_subcommand packs; and __fish_seen_subcommand_from release" -l color -d 'When to colour human output (NO_COLOR is honoured with auto)' -r -f -a "auto\t'Colour when stdout is a terminal and NO_COLOR is unset'
always\t''
never\t''"
complete -c cfgctl -n "__fish_cfgctl_using_subcommand packs; and __fish_seen_subcommand_from release" -l execute -d 'Make the change and commit it (without it, only the plan is shown)'
complete -c cfgctl -n "__fish_cfgctl_using_subcommand packs; and __fish_seen_subcommand_from release" -s q -l quiet -d 'Print nothing but results, findings, blockers and errors (no status lines, notes, summaries or progress)'
complete -c cfgctl -n "__fish_cfgctl_using_subcommand packs; and __fish_seen_subcommand_from release" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c cfgctl -n "__fish_cfgctl_using_subcommand packs; and __fish_seen_subcommand_from release" -s V -l version -d 'Print version'
complete -c cfgctl -n "__fish_cfgctl_using_subcommand packs; and __fish_seen_subcommand_from list" -s C -d 'Run as if started in DIR (the repository root is found from there)' -r -F
complete -c cfgctl -n "__fish_cfgctl_using_subcommand packs; and __fish_seen_subcommand_from list" -l format -d 'Output format' -r -f -a "human\t'Readable text, coloured on a terminal'
json\t'One JSON document per run (`"version": 1`)'
github\t'GitHub Actions workflow annotations (findings only)'
junit\t'JUnit XML for CI test reports (findings only)'
gitlab\t'GitLab Code Quality report, JSON (findings only)'"
complete -c cfgctl -n "__fish_cfgctl_using_subcommand packs; and __fish_seen_subcommand_from list" -l color -d 'When to colour human output (NO_COLOR is honoured with auto)' -r -f -a "auto\t'Colour when stdout is a terminal and NO_COLOR is unset'
always\t''
never\t''"
complete -c cfgctl -n "__fish_cfgctl_using_subcommand packs; and __fish_seen_subcommand_from list" -s q -l quiet -d 'Print nothing but results, findings, blockers and errors (no status lines, notes, summaries or progress)'
complete -c cfgctl -n "__fish_cfgctl_using_subcommand packs; and __fish_seen_subcommand_from list" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c cfgctl -n "__fish_cfgctl_using_subcommand packs; and __fish_seen_subcommand_from list" -s V -l version -d 'Print version'
complete -c cfgctl -n "__fish_cfgctl_using_subcommand packs; and __fish_seen_subcommand_from verify" -s C -d 'Run as if started in DIR (the repository root is found from there)' -r -F
complete -c cfgctl -n "__fish_cfgctl_using_subcommand packs; and __fish_seen_subcommand_from verify" -l format -d 'Output format' -r -f -a "human\t'Readable text, coloured on a terminal'
json\t'One JSON document per run (`"version": 1`)'
github\t'GitHub Actions workflow annotations (findings only)'
junit\t'JUnit XML for CI test reports (findings only)'
gitlab\t'GitLab Code Quality report, JSON (findings only)'"
complete -c cfgctl -n "__fish_cfgctl_using_subcommand packs; and __fish_seen_subcommand_from verify" -l color -d 'When to colour human output (NO_COLOR is honoured with auto)' -r -f -a "auto\t'Colour when stdout is a terminal and NO_COLOR is unset'
always\t''
never\t''"
complete -c cfgctl -n "__fish_cfgctl_using_subcommand packs; and __fish_seen_subcommand_from verify" -s q -l quiet -d 'Print nothing but results, findings, blockers and errors (no status lines, notes, summaries or progress)'
complete -c cfgctl -n "__fish_cfgctl_using_subcommand packs; and __fish_seen_subcommand_from verify" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c cfgctl -n "__fish_cfgctl_using_subcommand packs; and __fish_seen_subcommand_from verify" -s V -l version -d 'Print version'
complete -c cfgctl -n "__fish_cfgctl_using_subcommand packs; and __fish_seen_subcommand_from activate" -l approved-by -d 'Record an approval as an Approved-by trailer ("Name <email>"); repeatable' -r
complete -c cfgctl -n "__fish_cfgctl_using_subcommand packs; and __fish_seen_subcommand_from activate" -l emergency -d 'Write inside a freeze window or outside the allowed hours, recording why' -r
complete -c cfgctl -n "__fish_cfgctl_using_subcommand packs; and __fish_seen_subcommand_from activate" -l reason -d 'Why the change is made, recorded as a Cfgctl-Reason trailer and shown by `log`' -r
complete -c cfgctl -n "__fish_cfgctl_using_subcommand packs; and __fish_seen_subcommand_from activate" -s C -d 'Run as if started in DIR (the repository root is found from there)' -r -F
complete -c cfgctl -n "__fish_cfgctl_using_subcommand packs; and __fish_seen_subcommand_from activate" -l format -d 'Output format' -r -f -a "human\t'Readable text, coloured on a terminal'
json\t'One JSON document per run (`"version": 1`)'
github\t'GitHub Actions workflow annotations (findings only)'
junit\t'JUnit XML for CI test reports (findings only)'
gitlab\t'GitLab Code Quality report, JSON (findings only)'"
complete -c cfgctl -n "__fish_cfgctl_using_subcommand packs; and __fish_seen_subcommand_from activate" -l color -d 'When to colour human output (NO_COLOR is honoured with auto)' -r -f -a "auto\t'Colour when stdout is a terminal and NO_COLOR is unset'
always\t''
never\t''"
complete -c cfgctl -n "__fish_cfgctl_using_subcommand packs; and __fish_seen_subcommand_from activate" -l execute -d 'Make the change and commit it (without it, only the plan is shown)'
complete -c cfgctl -n "__fish_cfgctl_using_subcommand packs; and __fish_seen_subcommand_from activate" -s q -l quiet -d 'Print nothing but results, findings, blockers and errors (no status lines, notes, summaries or progress)'
complete -c cfgctl -n "__fish_cfgctl_using_subcommand packs; and __fish_seen_subcommand_from activate" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c cfgctl -n "__fish_cfgctl_using_subcommand packs; and __fish_seen_subcommand_from activate" -s V -l version -d 'Print version'
complete -c cfgctl -n "__fish_cfgctl_using_subcommand packs; and __fish_seen_subcommand_from rollback" -l approved-by -d 'Record an approval as an Approved-by trailer ("Name <email>"); repeatable' -r
complete -c cfgctl -n "__fish_cfgctl_using_subcommand packs; and __fish_seen_subcommand_from rollback" -l emergency -d 'Write inside a freeze window or outside the allowed hours, recording why' -r
complete -c cfgctl -n "__fish_cfgctl_using_subcommand packs; and __fish_seen_subcommand_from rollback" -l reason -d 'Why the change is made, recorded as a Cfgctl-Reason trailer and shown by `log`' -r
complete -c cfgctl -n "__fish_cfgctl_using_subcommand packs; and __fish_seen_subcommand_from rollback" -s C -d 'Run as if started in DIR (the repository root is found from there)' -r -F
complete -c cfgctl -n "__fish_cfgctl_using_subcommand packs; and __fish_seen_subcommand_from rollback" -l format -d 'Output format' -r -f -a "human\t'Readable text, coloured on a terminal'
json\t'One JSON document per run (`"version": 1`)'
github\t'GitHub Actions workflow annotations (findings only)'
junit\t'JUnit XML for CI test reports (findings only)'
gitlab\t'GitLab Code Quality report, JSON (findings only)'"
complete -c cfgctl -n "__fish_cfgctl_using_subcommand packs; and __fish_seen_subcommand_from rollback" -l color -d 'When to colour human output (NO_COLOR is honoured with auto)' -r -f -a "auto\t'Colour when stdout is a terminal and NO_COLOR is unset'
always\t''
never\t''"
complete -c cfgctl -n "__fish_cfgctl_using_subcommand packs; and __fish_seen_subcommand_from rollback" -l execute -d 'Make the change and commit it (without it, only the plan is shown)'
complete -c cfgctl -n "__fish_cfgctl_using_subcommand packs; and __fish_seen_subcommand_from rollback" -s q -l quiet -d 'Print nothing but results, findings, blockers and errors (no status lines, notes, summaries or progress)'
complete -c cfgctl -n "__fish_cfgctl_using_subcommand packs; and __fish_seen_subcommand_from rollback" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c cfgctl -n "__fish_cfgctl_using_subcommand packs; and __fish_seen_subcommand_from rollback" -s V -l version -d 'Print version'
complete -c cfgctl -n "__fish_cfgctl_using_subcommand packs; and __fish_seen_subcommand_from help" -f -a "validate" -d 'Check packs: manifest, files, integrity, patterns, pack level (checks M1 … K6)'
complete -c cfgctl -n "__fish_cfgctl_using_subcommand packs; and __fish_seen_subcommand_from help" -f -a "release" -d 'Write CHECKSUMS.sha256 and the digest, commit, and tag packs/PACK/vVERSION'
complete -c cfgctl -n "__fish_cfgctl_using_subcommand packs; and __fish_seen_subcommand_from help" -f -a "list" -d 'List released versions from their tags, and where each is active'
complete -c cfgctl -n "__fish_cfgctl_using_subcommand packs; and __fish_seen_subcommand_from help" -f -a "verify" -d 'Recompute a release\'s checksums and digest from its tag and compare'
complete -c cfgctl -n "__fish_cfgctl_using_subcommand packs; and __fish_seen_subcommand_from help" -f -a "activate" -d 'Make a released version the active one in an environment'
complete -c cfgctl -n "__fish_cfgctl_using_subcommand packs; and __fish_seen_subcommand_from help" -f -a "rollback" -d 'Re-activate the version that was active before in an environment'
complete -c cfgctl -n "__fish_cfgctl_using_subcommand packs; and __fish_seen_subcommand_from help" -f -a "help" -d 'Print this message or the help of the given subcommand(s)'
complete -c cfgctl -n "__fish_cfgctl_using_subcommand hooks; and not __fish_seen_subcommand_from install uninstall help" -s C -d 'Run as if started in DIR (the repository root is found from there)' -r -F
complete -c cfgctl -n "__fish_cfgctl_using_subcommand hooks; and not __fish_seen_subcommand_from install uninstall help" -l format -d 'Output format' -r -f -a "human\t'Readable text, coloured on a terminal'
json\t'One JSON document per run (`"version": 1`)'
github\t'GitHub Actions workflow annotations (findings only)'
junit\t'JUnit XML for CI test reports (findings only)'
gitlab\t'GitLab Code Quality report, JSON (findings only)'"
complete -c cfgctl -n "__fish_cfgctl_using_subcommand hooks; and not __fish_seen_subcommand_from install uninstall help" -l color -d 'When to colour human output (NO_COLOR is honoured with auto)' -r -f -a "auto\t'Colour when stdout is a terminal and NO_COLOR is unset'
always\t''
never\t''"
complete -c cfgctl -n "__fish_cfgctl_using_subcommand hooks; and not __fish_seen_subcommand_from install uninstall help" -s q -l quiet -d 'Print nothing but results, findings, blockers and errors (no status lines, notes, summaries or progress)'
complete -c cfgctl -n "__fish_cfgctl_using_subcommand hooks; and not __fish_seen_subcommand_from install uninstall help" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c cfgctl -n "__fish_cfgctl_using_subcommand hooks; and not __fish_seen_subcommand_from install uninstall help" -s V -l version -d 'Print version'
complete -c cfgctl -n "__fish_cfgctl_using_subcommand hooks; and not __fish_seen_subcommand_from install uninstall help" -f -a "install" -d 'Write Git hooks that run cfgctl (default: the pre-commit hook)'
complete -c cfgctl -n "__fish_cfgctl_using_subcommand hooks; and not __fish_seen_subcommand_from install uninstall help" -f -a "uninstall" -d 'Remove the Git hooks cfgctl wrote, putting back chained ones (default: all of them)'
complete -c cfgctl -n "__fish_cfgctl_using_subcommand hooks; and not __fish_seen_subcommand_from install uninstall help" -f -a "help" -d 'Print this message or the help of the given subcommand(s)'
complete -c cfgctl -n "__fish_cfgctl_using_subcommand hooks; and __fish_seen_subcommand_from install" -s C -d 'Run as if started in DIR (the repository root is found from there)' -r -F
complete -c cfgctl -n "__fish_cfgctl_using_subcommand hooks; and __fish_seen_subcommand_from install" -l format -d 'Output format' -r -f -a "human\t'Readable text, coloured on a terminal'
json\t'One JSON document per run (`"version": 1`)'
github\t'GitHub Actions workflow annotations (findings only)'
junit\t'JUnit XML for CI test reports (findings only)'
gitlab\t'GitLab Code Quality report, JSON (findings only)'"
complete -c cfgctl -n "__fish_cfgctl_using_subcommand hooks; and __fish_seen_subcommand_from install" -l color -d 'When to colour human output (NO_COLOR is honoured with auto)' -r -f -a "auto\t'Colour when stdout is a terminal and NO_COLOR is unset'
always\t''
never\t''"
complete -c cfgctl -n "__fish_cfgctl_using_subcommand hooks; and __fish_seen_subcommand_from install" -l pre-commit -d 'Install the pre-commit hook: `cfgctl validate --staged` on what is being committed'
complete -c cfgctl -n "__fish_cfgctl_using_subcommand hooks; and __fish_seen_subcommand_from install" -l pre-push -d 'Install the pre-push hook: `cfgctl validate --at` each commit being pushed'
complete -c cfgctl -n "__fish_cfgctl_using_subcommand hooks; and __fish_seen_subcommand_from install" -l force -d 'Overwrite a hook that cfgctl did not write (it is lost)'
complete -c cfgctl -n "__fish_cfgctl_using_subcommand hooks; and __fish_seen_subcommand_from install" -l chain -d 'Keep a hook that cfgctl did not write, as <hook>.before-cfgctl, and run it first'
complete -c cfgctl -n "__fish_cfgctl_using_subcommand hooks; and __fish_seen_subcommand_from install" -s q -l quiet -d 'Print nothing but results, findings, blockers and errors (no status lines, notes, summaries or progress)'
complete -c cfgctl -n "__fish_cfgctl_using_subcommand hooks; and __fish_seen_subcommand_from install" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c cfgctl -n "__fish_cfgctl_using_subcommand hooks; and __fish_seen_subcommand_from install" -s V -l version -d 'Print version'
complete -c cfgctl -n "__fish_cfgctl_using_subcommand hooks; and __fish_seen_subcommand_from uninstall" -s C -d 'Run as if started in DIR (the repository root is found from there)' -r -F
complete -c cfgctl -n "__fish_cfgctl_using_subcommand hooks; and __fish_seen_subcommand_from uninstall" -l format -d 'Output format' -r -f -a "human\t'Readable text, coloured on a terminal'
json\t'One JSON document per run (`"version": 1`)'
github\t'GitHub Actions workflow annotations (findings only)'
junit\t'JUnit XML for CI test reports (findings only)'
gitlab\t'GitLab Code Quality report, JSON (findings only)'"
complete -c cfgctl -n "__fish_cfgctl_using_subcommand hooks; and __fish_seen_subcommand_from uninstall" -l color -d 'When to colour human output (NO_COLOR is honoured with auto)' -r -f -a "auto\t'Colour when stdout is a terminal and NO_COLOR is unset'
always\t''
never\t''"
complete -c cfgctl -n "__fish_cfgctl_using_subcommand hooks; and __fish_seen_subcommand_from uninstall" -l pre-commit -d 'Remove the pre-commit hook'
complete -c cfgctl -n "__fish_cfgctl_using_subcommand hooks; and __fish_seen_subcommand_from uninstall" -l pre-push -d 'Remove the pre-push hook'
complete -c cfgctl -n "__fish_cfgctl_using_subcommand hooks; and __fish_seen_subcommand_from uninstall" -l force -d 'Remove a hook cfgctl wrote even if it was changed since'
complete -c cfgctl -n "__fish_cfgctl_using_subcommand hooks; and __fish_seen_subcommand_from uninstall" -s q -l quiet -d 'Print nothing but results, findings, blockers and errors (no status lines, notes, summaries or progress)'
complete -c cfgctl -n "__fish_cfgctl_using_subcommand hooks; and __fish_seen_subcommand_from uninstall" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c cfgctl -n "__fish_cfgctl_using_subcommand hooks; and __fish_seen_subcommand_from uninstall" -s V -l version -d 'Print version'
complete -c cfgctl -n "__fish_cfgctl_using_subcommand hooks; and __fish_seen_subcommand_from help" -f -a "install" -d 'Write Git hooks that run cfgctl (default: the pre-commit hook)'
complete -c cfgctl -n "__fish_cfgctl_using_subcommand hooks; and __fish_seen_subcommand_from help" -f -a "uninstall" -d 'Remove the Git hooks cfgctl wrote, putting back chained ones (default: all of them)'
complete -c cfgctl -n "__fish_cfgctl_using_subcommand hooks; and __fish_seen_subcommand_from help" -f -a "help" -d 'Print this message or the help of the given subcommand(s)'
complete -c cfgctl -n "__fish_cfgctl_using_subcommand completions" -s C -d 'Run as if started in DIR (the repository root is found from there)' -r -F
complete -c cfgctl -n "__fish_cfgctl_using_subcommand completions" -l format -d 'Output format' -r -f -a "human\t'Readable text, coloured on a terminal'
json\t'One JSON document per run (`"version": 1`)'
github\t'GitHub Actions workflow annotations (findings only)'
junit\t'JUnit XML for CI test reports (findings only)'
gitlab\t'GitLab Code Quality report, JSON (findings only)'"
complete -c cfgctl -n "__fish_cfgctl_using_subcommand completions" -l color -d 'When to colour human output (NO_COLOR is honoured with auto)' -r -f -a "auto\t'Colour when stdout is a terminal and NO_COLOR is unset'
always\t''
never\t''"
complete -c cfgctl -n "__fish_cfgctl_using_subcommand completions" -s q -l quiet -d 'Print nothing but results, findings, blockers and errors (no status lines, notes, summaries or progress)'
complete -c cfgctl -n "__fish_cfgctl_using_subcommand completions" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c cfgctl -n "__fish_cfgctl_using_subcommand completions" -s V -l version -d 'Print version'
complete -c cfgctl -n "__fish_cfgctl_using_subcommand man" -l output-dir -d 'Write cfgctl.1 and one page per subcommand (cfgctl-validate.1, …) into DIR' -r -F
complete -c cfgctl -n "__fish_cfgctl_using_subcommand man" -s C -d 'Run as if started in DIR (the repository root is found from there)' -r -F
complete -c cfgctl -n "__fish_cfgctl_using_subcommand man" -l format -d 'Output format' -r -f -a "human\t'Readable text, coloured on a terminal'
json\t'One JSON document per run (`"version": 1`)'
github\t'GitHub Actions workflow annotations (findings only)'
junit\t'JUnit XML for CI test reports (findings only)'
gitlab\t'GitLab Code Quality report, JSON (findings only)'"
complete -c cfgctl -n "__fish_cfgctl_using_subcommand man" -l color -d 'When to colour human output (NO_COLOR is honoured with auto)' -r -f -a "auto\t'Colour when stdout is a terminal and NO_COLOR is unset'
always\t''
never\t''"
complete -c cfgctl -n "__fish_cfgctl_using_subcommand man" -s q -l quiet -d 'Print nothing but results, findings, blockers and errors (no status lines, notes, summaries or progress)'
complete -c cfgctl -n "__fish_cfgctl_using_subcommand man" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c cfgctl -n "__fish_cfgctl_using_subcommand man" -s V -l version -d 'Print version'
complete -c cfgctl -n "__fish_cfgctl_using_subcommand help; and not __fish_seen_subcommand_from init validate render get set unset diff drift env promote status log blame rollback flags guard secrets packs hooks completions man help" -f -a "init" -d 'Create a configuration repository from the built-in template'
complete -c cfgctl -n "__fish_cfgctl_using_subcommand help; and not __fish_seen_subcommand_from init validate render get set unset diff drift env promote status log blame rollback flags guard secrets packs hooks completions man help" -f -a "validate" -d 'Check configuration files against their schemas and the built-in rules'
complete -c cfgctl -n "__fish_cfgctl_using_subcommand help; and not __fish_seen_subcommand_from init validate render get set unset diff drift env promote status log blame rollback flags guard secrets packs hooks completions man help" -f -a "render" -d 'Print an environment\'s configuration with every layer merged'
complete -c cfgctl -n "__fish_cfgctl_using_subcommand help; and not __fish_seen_subcommand_from init validate render get set unset diff drift env promote status log blame rollback flags guard secrets packs hooks completions man help" -f -a "get" -d 'Print one key of an environment\'s rendered configuration, and where it came from'
complete -c cfgctl -n "__fish_cfgctl_using_subcommand help; and not __fish_seen_subcommand_from init validate render get set unset diff drift env promote status log blame rollback flags guard secrets packs hooks completions man help" -f -a "set" -d 'Set one key in a configuration file, keeping its comments and formatting'
complete -c cfgctl -n "__fish_cfgctl_using_subcommand help; and not __fish_seen_subcommand_from init validate render get set unset diff drift env promote status log blame rollback flags guard secrets packs hooks completions man help" -f -a "unset" -d 'Remove one key from a configuration file, keeping its comments and formatting'
complete -c cfgctl -n "__fish_cfgctl_using_subcommand help; and not __fish_seen_subcommand_from init validate render get set unset diff drift env promote status log blame rollback flags guard secrets packs hooks completions man help" -f -a "diff" -d 'Compare configuration key by key: environments, revisions, or files'
complete -c cfgctl -n "__fish_cfgctl_using_subcommand help; and not __fish_seen_subcommand_from init validate render get set unset diff drift env promote status log blame rollback flags guard secrets packs hooks completions man help" -f -a "drift" -d 'Compare what the repository says an environment is with a deployed copy'
complete -c cfgctl -n "__fish_cfgctl_using_subcommand help; and not __fish_seen_subcommand_from init validate render get set unset diff drift env promote status log blame rollback flags guard secrets packs hooks completions man help" -f -a "env" -d 'The environments: list them in promotion order with what belongs to each'
complete -c cfgctl -n "__fish_cfgctl_using_subcommand help; and not __fish_seen_subcommand_from init validate render get set unset diff drift env promote status log blame rollback flags guard secrets packs hooks completions man help" -f -a "promote" -d 'Copy configuration from one environment to the next, keeping pinned keys'
complete -c cfgctl -n "__fish_cfgctl_using_subcommand help; and not __fish_seen_subcommand_from init validate render get set unset diff drift env promote status log blame rollback flags guard secrets packs hooks completions man help" -f -a "status" -d 'Show each environment\'s last change, last promotion and what is not promoted yet'
complete -c cfgctl -n "__fish_cfgctl_using_subcommand help; and not __fish_seen_subcommand_from init validate render get set unset diff drift env promote status log blame rollback flags guard secrets packs hooks completions man help" -f -a "log" -d 'Show the history of configuration changes, read from commits and their trailers'
complete -c cfgctl -n "__fish_cfgctl_using_subcommand help; and not __fish_seen_subcommand_from init validate render get set unset diff drift env promote status log blame rollback flags guard secrets packs hooks completions man help" -f -a "blame" -d 'Per key of a rendered document: the commit, author and date that last changed its value'
complete -c cfgctl -n "__fish_cfgctl_using_subcommand help; and not __fish_seen_subcommand_from init validate render get set unset diff drift env promote status log blame rollback flags guard secrets packs hooks completions man help" -f -a "rollback" -d 'Undo commits, or restore an environment to a revision, as new commits'
complete -c cfgctl -n "__fish_cfgctl_using_subcommand help; and not __fish_seen_subcommand_from init validate render get set unset diff drift env promote status log blame rollback flags guard secrets packs hooks completions man help" -f -a "flags" -d 'Feature flags in flagd format: validate, evaluate, explain, stage a rollout'
complete -c cfgctl -n "__fish_cfgctl_using_subcommand help; and not __fish_seen_subcommand_from init validate render get set unset diff drift env promote status log blame rollback flags guard secrets packs hooks completions man help" -f -a "guard" -d 'Check health metrics against [guard.ENV] and roll back the newest change on a violation'
complete -c cfgctl -n "__fish_cfgctl_using_subcommand help; and not __fish_seen_subcommand_from init validate render get set unset diff drift env promote status log blame rollback flags guard secrets packs hooks completions man help" -f -a "secrets" -d 'Encrypt, decrypt and re-key secret files (SOPS format, age recipients)'
complete -c cfgctl -n "__fish_cfgctl_using_subcommand help; and not __fish_seen_subcommand_from init validate render get set unset diff drift env promote status log blame rollback flags guard secrets packs hooks completions man help" -f -a "packs" -d 'Release, verify, activate and roll back attack packs (prompt-attack patterns)'
complete -c cfgctl -n "__fish_cfgctl_using_subcommand help; and not __fish_seen_subcommand_from init validate render get set unset diff drift env promote status log blame rollback flags guard secrets packs hooks completions man help" -f -a "hooks" -d 'Install Git hooks that run cfgctl (for teams without the pre-commit framework), or remove them'
complete -c cfgctl -n "__fish_cfgctl_using_subcommand help; and not __fish_seen_subcommand_from init validate render get set unset diff drift env promote status log blame rollback flags guard secrets packs hooks completions man help" -f -a "completions" -d 'Print a shell completion script'
complete -c cfgctl -n "__fish_cfgctl_using_subcommand help; and not __fish_seen_subcommand_from init validate render get set unset diff drift env promote status log blame rollback flags guard secrets packs hooks completions man help" -f -a "man" -d 'Print the man page (or write every page to a directory)'
complete -c cfgctl -n "__fish_cfgctl_using_subcommand help; and not __fish_seen_subcommand_from init validate render get set unset diff drift env promote status log blame rollback flags guard secrets packs hooks completions man help" -f -a "help" -d 'Print this message or the help of the given subcommand(s)'
complete -c cfgctl -n "__fish_cfgctl_using_subcommand help; and __fish_seen_subcommand_from env" -f -a "list" -d 'List the environments in promotion order with their documents, secret files, flag file and active packs'
complete -c cfgctl -n "__fish_cfgctl_using_subcommand help; and __fish_seen_subcommand_from env" -f -a "add" -d 'Add an environment made from an existing one: its files copied, its secrets re-encrypted for the new recipients, every flag off; one commit (dry run unless --execute)'
complete -c cfgctl -n "__fish_cfgctl_using_subcommand help; and __fish_seen_subcommand_from flags" -f -a "validate" -d 'Check flag files against the flagd schemas and cfgctl\'s flag rules'
complete -c cfgctl -n "__fish_cfgctl_using_subcommand help; and __fish_seen_subcommand_from flags" -f -a "eval" -d 'Evaluate a flag for a context, as flagd does'
complete -c cfgctl -n "__fish_cfgctl_using_subcommand help; and __fish_seen_subcommand_from flags" -f -a "explain" -d 'Show why a flag evaluates as it does: the rule that matched, the bucketing key and hash'
complete -c cfgctl -n "__fish_cfgctl_using_subcommand help; and __fish_seen_subcommand_from flags" -f -a "stage" -d 'Move a flag to a rollout stage: disabled, canary, beta, staged, full (dry run unless --execute)'
complete -c cfgctl -n "__fish_cfgctl_using_subcommand help; and __fish_seen_subcommand_from flags" -f -a "bench" -d 'Evaluate many (flag, context) pairs in one process and print the rate'
complete -c cfgctl -n "__fish_cfgctl_using_subcommand help; and __fish_seen_subcommand_from secrets" -f -a "keygen" -d 'Create an age identity where sops looks for it and print its public recipient'
complete -c cfgctl -n "__fish_cfgctl_using_subcommand help; and __fish_seen_subcommand_from secrets" -f -a "encrypt" -d 'Encrypt a YAML, JSON or dotenv file for the recipients its .sops.yaml rule names'
complete -c cfgctl -n "__fish_cfgctl_using_subcommand help; and __fish_seen_subcommand_from secrets" -f -a "decrypt" -d 'Decrypt a file (to stdout unless --in-place or --output)'
complete -c cfgctl -n "__fish_cfgctl_using_subcommand help; and __fish_seen_subcommand_from secrets" -f -a "edit" -d 'Decrypt to a private temporary file, open $EDITOR, validate, re-encrypt'
complete -c cfgctl -n "__fish_cfgctl_using_subcommand help; and __fish_seen_subcommand_from secrets" -f -a "set" -d 'Set one value (encrypted if the file\'s rule says so)'
complete -c cfgctl -n "__fish_cfgctl_using_subcommand help; and __fish_seen_subcommand_from secrets" -f -a "unset" -d 'Remove one value'
complete -c cfgctl -n "__fish_cfgctl_using_subcommand help; and __fish_seen_subcommand_from secrets" -f -a "get" -d 'Print one decrypted value'
complete -c cfgctl -n "__fish_cfgctl_using_subcommand help; and __fish_seen_subcommand_from secrets" -f -a "updatekeys" -d 'Re-wrap data keys for the recipients .sops.yaml names now'
complete -c cfgctl -n "__fish_cfgctl_using_subcommand help; and __fish_seen_subcommand_from secrets" -f -a "rotate" -d 'Give files a new data key and re-encrypt every value'
complete -c cfgctl -n "__fish_cfgctl_using_subcommand help; and __fish_seen_subcommand_from secrets" -f -a "list" -d 'List the encrypted files: recipients, values, age (no key needed)'
complete -c cfgctl -n "__fish_cfgctl_using_subcommand help; and __fish_seen_subcommand_from secrets" -f -a "check" -d 'Check that what must be encrypted is, and that MACs verify (for pre-commit and CI)'
complete -c cfgctl -n "__fish_cfgctl_using_subcommand help; and __fish_seen_subcommand_from secrets" -f -a "exec" -d 'Run a command with a file\'s values as environment variables'
complete -c cfgctl -n "__fish_cfgctl_using_subcommand help; and __fish_seen_subcommand_from secrets" -f -a "git-setup" -d 'Make Git merge encrypted files by key path and show them decrypted in `git diff`'
complete -c cfgctl -n "__fish_cfgctl_using_subcommand help; and __fish_seen_subcommand_from secrets" -f -a "merge-driver" -d 'Merge an encrypted file three-way by key path (Git\'s merge driver; see git-setup)'
complete -c cfgctl -n "__fish_cfgctl_using_subcommand help; and __fish_seen_subcommand_from secrets" -f -a "textconv" -d 'Print an encrypted file decrypted, or masked without a key (Git\'s textconv; see git-setup)'
complete -c cfgctl -n "__fish_cfgctl_using_subcommand help; and __fish_seen_subcommand_from packs" -f -a "validate" -d 'Check packs: manifest, files, integrity, patterns, pack level (checks M1 … K6)'
complete -c cfgctl -n "__fish_cfgctl_using_subcommand help; and __fish_seen_subcommand_from packs" -f -a "release" -d 'Write CHECKSUMS.sha256 and the digest, commit, and tag packs/PACK/vVERSION'
complete -c cfgctl -n "__fish_cfgctl_using_subcommand help; and __fish_seen_subcommand_from packs" -f -a "list" -d 'List released versions from their tags, and where each is active'
complete -c cfgctl -n "__fish_cfgctl_using_subcommand help; and __fish_seen_subcommand_from packs" -f -a "verify" -d 'Recompute a release\'s checksums and digest from its tag and compare'
complete -c cfgctl -n "__fish_cfgctl_using_subcommand help; and __fish_seen_subcommand_from packs" -f -a "activate" -d 'Make a released version the active one in an environment'
complete -c cfgctl -n "__fish_cfgctl_using_subcommand help; and __fish_seen_subcommand_from packs" -f -a "rollback" -d 'Re-activate the version that was active before in an environment'
complete -c cfgctl -n "__fish_cfgctl_using_subcommand help; and __fish_seen_subcommand_from hooks" -f -a "install" -d 'Write Git hooks that run cfgctl (default: the pre-commit hook)'
complete -c cfgctl -n "__fish_cfgctl_using_subcommand help; and __fish_seen_subcommand_from hooks" -f -a "uninstall" -d 'Remove the Git hooks cfgctl wrote, putting back chained ones (default: all of them)'
