
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
            cand -q 'Print nothing but results, findings, blockers and errors (no status lines, notes, summaries or progress)'
            cand --quiet 'Print nothing but results, findings, blockers and errors (no status lines, notes, summaries or progress)'
            cand -h 'Print help (see more with ''--help'')'
            cand --help 'Print help (see more with ''--help'')'
            cand -V 'Print version'
            cand --version 'Print version'
            cand init 'Create a configuration repository from the built-in template'
            cand validate 'Check configuration files against their schemas and the built-in rules'
            cand render 'Print an environment''s configuration with every layer merged'
            cand get 'Print one key of an environment''s rendered configuration, and where it came from'
            cand set 'Set one key in a configuration file, keeping its comments and formatting'
            cand unset 'Remove one key from a configuration file, keeping its comments and formatting'
            cand diff 'Compare configuration key by key: environments, revisions, or files'
            cand drift 'Compare what the repository says an environment is with a deployed copy'
            cand env 'The environments: list them in promotion order with what belongs to each'
            cand promote 'Copy configuration from one environment to the next, keeping pinned keys'
            cand status 'Show each environment''s last change, last promotion and what is not promoted yet'
            cand log 'Show the history of configuration changes, read from commits and their trailers'
            cand blame 'Per key of a rendered document: the commit, author and date that last changed its value'
            cand rollback 'Undo commits, or restore an environment to a revision, as new commits'
            cand flags 'Feature flags in flagd format: validate, evaluate, explain, stage a rollout'
            cand guard 'Check health metrics against [guard.ENV] and roll back the newest change on a violation'
            cand secrets 'Encrypt, decrypt and re-key secret files (SOPS format, age recipients)'
            cand packs 'Release, verify, activate and roll back attack packs (prompt-attack patterns)'
            cand hooks 'Install Git hooks that run cfgctl (for teams without the pre-commit framework), or remove them'
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
            cand -q 'Print nothing but results, findings, blockers and errors (no status lines, notes, summaries or progress)'
            cand --quiet 'Print nothing but results, findings, blockers and errors (no status lines, notes, summaries or progress)'
            cand -h 'Print help (see more with ''--help'')'
            cand --help 'Print help (see more with ''--help'')'
            cand -V 'Print version'
            cand --version 'Print version'
        }
        &'cfgctl;validate'= {
            cand --changed-since 'Check only files changed since REV (plus what cross-environment rules compare them with)'
            cand --at 'Check the files of a revision instead of the working tree (for pre-push hooks); with --changed-since, only what changed between the two'
            cand --schema 'Check PATHs against this one schema, without a cfgctl.toml'
            cand -C 'Run as if started in DIR (the repository root is found from there)'
            cand --format 'Output format'
            cand --color 'When to colour human output (NO_COLOR is honoured with auto)'
            cand --staged 'Check what is staged in the Git index, not the working tree (for pre-commit hooks)'
            cand --deny-warnings 'Exit 1 on warnings too'
            cand --no-cache 'Check every file again instead of taking unchanged files'' results from the cache in .git/cfgctl/cache (the results are the same either way)'
            cand -v 'Say how long listing, compiling schemas, checking files and comparing environments took'
            cand --verbose 'Say how long listing, compiling schemas, checking files and comparing environments took'
            cand -q 'Print nothing but results, findings, blockers and errors (no status lines, notes, summaries or progress)'
            cand --quiet 'Print nothing but results, findings, blockers and errors (no status lines, notes, summaries or progress)'
            cand -h 'Print help (see more with ''--help'')'
            cand --help 'Print help (see more with ''--help'')'
            cand -V 'Print version'
            cand --version 'Print version'
        }
        &'cfgctl;render'= {
            cand --service 'Add the layers of this service (services/S/ and services/S/ENV/)'
            cand --tenant 'Add the layers of this tenant (tenants/T/ and tenants/T/ENV/)'
            cand --as 'Print the documents as yaml, json, dotenv (A__B=value), or a Kubernetes ConfigMap manifest'
            cand --name 'The ConfigMap''s metadata.name (with --as configmap)'
            cand --at 'Render the environment as it was at a revision, without a checkout'
            cand --identity 'An age identity file for --reveal (repeatable; SOPS_AGE_KEY, SOPS_AGE_KEY_FILE and the default keys.txt are tried too)'
            cand -C 'Run as if started in DIR (the repository root is found from there)'
            cand --format 'Output format'
            cand --color 'When to colour human output (NO_COLOR is honoured with auto)'
            cand --explain 'Show, for every value, the layer file and line it came from'
            cand --strict 'Fail on any unresolved ${VAR} (the default when the CI variable is set)'
            cand --no-strict 'Only warn about unresolved ${VAR}, even in CI'
            cand --no-validate 'Do not validate the rendered documents against their schemas'
            cand --reveal 'Replace ${SECRET:…} with decrypted values (needs an age identity); without it the references are checked against the secret files and left as written'
            cand -q 'Print nothing but results, findings, blockers and errors (no status lines, notes, summaries or progress)'
            cand --quiet 'Print nothing but results, findings, blockers and errors (no status lines, notes, summaries or progress)'
            cand -h 'Print help (see more with ''--help'')'
            cand --help 'Print help (see more with ''--help'')'
            cand -V 'Print version'
            cand --version 'Print version'
        }
        &'cfgctl;get'= {
            cand --document 'Look only in this document (when the key path is in several)'
            cand --service 'Add the layers of this service (services/S/ and services/S/ENV/)'
            cand --tenant 'Add the layers of this tenant (tenants/T/ and tenants/T/ENV/)'
            cand --identity 'An age identity file for --reveal (repeatable)'
            cand -C 'Run as if started in DIR (the repository root is found from there)'
            cand --format 'Output format'
            cand --color 'When to colour human output (NO_COLOR is honoured with auto)'
            cand --explain 'Show the layer file and line every value came from'
            cand --reveal 'Replace ${SECRET:…} with decrypted values (needs an age identity); without it the references are printed as written'
            cand -q 'Print nothing but results, findings, blockers and errors (no status lines, notes, summaries or progress)'
            cand --quiet 'Print nothing but results, findings, blockers and errors (no status lines, notes, summaries or progress)'
            cand -h 'Print help (see more with ''--help'')'
            cand --help 'Print help (see more with ''--help'')'
            cand -V 'Print version'
            cand --version 'Print version'
        }
        &'cfgctl;set'= {
            cand --layer 'With ENV: the layer to write to'
            cand --document 'With ENV: the document the key is in (when several have it, or for a new key)'
            cand --service 'With ENV: the service whose layers count (services/S/ and services/S/ENV/)'
            cand --tenant 'With ENV: the tenant whose layers count (tenants/T/ and tenants/T/ENV/)'
            cand -m 'The commit subject (with --commit)'
            cand --message 'The commit subject (with --commit)'
            cand --approved-by 'Record an approval as an Approved-by trailer ("Name <email>"); repeatable'
            cand --emergency 'Write inside a freeze window or outside the allowed hours, recording why'
            cand --reason 'Why the change is made, recorded as a Cfgctl-Reason trailer and shown by `log`'
            cand -C 'Run as if started in DIR (the repository root is found from there)'
            cand --format 'Output format'
            cand --color 'When to colour human output (NO_COLOR is honoured with auto)'
            cand --stdin 'Read the value from standard input'
            cand --json 'Read the value as JSON (for a list or a mapping)'
            cand --commit 'Commit the change through the write pipeline and policy, instead of editing the working tree file'
            cand --execute 'Make the change and commit it (without it, only the plan is shown)'
            cand -q 'Print nothing but results, findings, blockers and errors (no status lines, notes, summaries or progress)'
            cand --quiet 'Print nothing but results, findings, blockers and errors (no status lines, notes, summaries or progress)'
            cand -h 'Print help (see more with ''--help'')'
            cand --help 'Print help (see more with ''--help'')'
            cand -V 'Print version'
            cand --version 'Print version'
        }
        &'cfgctl;unset'= {
            cand --layer 'With ENV: the layer to write to'
            cand --document 'With ENV: the document the key is in (when several have it, or for a new key)'
            cand --service 'With ENV: the service whose layers count (services/S/ and services/S/ENV/)'
            cand --tenant 'With ENV: the tenant whose layers count (tenants/T/ and tenants/T/ENV/)'
            cand -m 'The commit subject (with --commit)'
            cand --message 'The commit subject (with --commit)'
            cand --approved-by 'Record an approval as an Approved-by trailer ("Name <email>"); repeatable'
            cand --emergency 'Write inside a freeze window or outside the allowed hours, recording why'
            cand --reason 'Why the change is made, recorded as a Cfgctl-Reason trailer and shown by `log`'
            cand -C 'Run as if started in DIR (the repository root is found from there)'
            cand --format 'Output format'
            cand --color 'When to colour human output (NO_COLOR is honoured with auto)'
            cand --commit 'Commit the change through the write pipeline and policy, instead of editing the working tree file'
            cand --execute 'Make the change and commit it (without it, only the plan is shown)'
            cand -q 'Print nothing but results, findings, blockers and errors (no status lines, notes, summaries or progress)'
            cand --quiet 'Print nothing but results, findings, blockers and errors (no status lines, notes, summaries or progress)'
            cand -h 'Print help (see more with ''--help'')'
            cand --help 'Print help (see more with ''--help'')'
            cand -V 'Print version'
            cand --version 'Print version'
        }
        &'cfgctl;diff'= {
            cand --service 'Include the layers of this service when rendering environments'
            cand --tenant 'Include the layers of this tenant when rendering environments'
            cand --ignore 'Hide key paths matching PATTERN and what is below them (`*` one key, `**` any number, `*_file` a glob); repeatable'
            cand -C 'Run as if started in DIR (the repository root is found from there)'
            cand --format 'Output format'
            cand --color 'When to colour human output (NO_COLOR is honoured with auto)'
            cand --raw 'Compare environments'' own files instead of their rendered (layered) result'
            cand --ignore-order 'Ignore the order of list items'
            cand --ignore-pinned 'Hide keys pinned in [promote] pinned (differences meant to be there)'
            cand --reveal 'Show values of secrets instead of masking them'
            cand --exit-code 'Exit 1 when anything differs'
            cand -q 'Print nothing but results, findings, blockers and errors (no status lines, notes, summaries or progress)'
            cand --quiet 'Print nothing but results, findings, blockers and errors (no status lines, notes, summaries or progress)'
            cand -h 'Print help (see more with ''--help'')'
            cand --help 'Print help (see more with ''--help'')'
            cand -V 'Print version'
            cand --version 'Print version'
        }
        &'cfgctl;drift'= {
            cand --against 'The deployed copy: a directory of documents, one document, or a ConfigMap manifest'
            cand --service 'Include the layers of this service when rendering environments'
            cand --tenant 'Include the layers of this tenant when rendering environments'
            cand --ignore 'Hide key paths matching PATTERN and what is below them (`*` one key, `**` any number, `*_file` a glob); repeatable'
            cand -C 'Run as if started in DIR (the repository root is found from there)'
            cand --format 'Output format'
            cand --color 'When to colour human output (NO_COLOR is honoured with auto)'
            cand --ignore-order 'Ignore the order of list items'
            cand --ignore-pinned 'Hide keys pinned in [promote] pinned (differences meant to be there)'
            cand --reveal 'Show values of secrets instead of masking them'
            cand -q 'Print nothing but results, findings, blockers and errors (no status lines, notes, summaries or progress)'
            cand --quiet 'Print nothing but results, findings, blockers and errors (no status lines, notes, summaries or progress)'
            cand -h 'Print help (see more with ''--help'')'
            cand --help 'Print help (see more with ''--help'')'
            cand -V 'Print version'
            cand --version 'Print version'
        }
        &'cfgctl;env'= {
            cand -C 'Run as if started in DIR (the repository root is found from there)'
            cand --format 'Output format'
            cand --color 'When to colour human output (NO_COLOR is honoured with auto)'
            cand -q 'Print nothing but results, findings, blockers and errors (no status lines, notes, summaries or progress)'
            cand --quiet 'Print nothing but results, findings, blockers and errors (no status lines, notes, summaries or progress)'
            cand -h 'Print help (see more with ''--help'')'
            cand --help 'Print help (see more with ''--help'')'
            cand -V 'Print version'
            cand --version 'Print version'
            cand list 'List the environments in promotion order with their documents, secret files, flag file and active packs'
            cand add 'Add an environment made from an existing one: its files copied, its secrets re-encrypted for the new recipients, every flag off; one commit (dry run unless --execute)'
            cand help 'Print this message or the help of the given subcommand(s)'
        }
        &'cfgctl;env;list'= {
            cand -C 'Run as if started in DIR (the repository root is found from there)'
            cand --format 'Output format'
            cand --color 'When to colour human output (NO_COLOR is honoured with auto)'
            cand -q 'Print nothing but results, findings, blockers and errors (no status lines, notes, summaries or progress)'
            cand --quiet 'Print nothing but results, findings, blockers and errors (no status lines, notes, summaries or progress)'
            cand -h 'Print help (see more with ''--help'')'
            cand --help 'Print help (see more with ''--help'')'
            cand -V 'Print version'
            cand --version 'Print version'
        }
        &'cfgctl;env;add'= {
            cand --from 'The environment whose files the new one starts from'
            cand --after 'The environment the new one follows in promotion order (default: the --from one)'
            cand --age 'An age recipient for the new environment''s secret files (repeatable; default: the --from environment''s recipients)'
            cand --identity 'An age identity file that decrypts the --from environment''s secret files (repeatable; SOPS_AGE_KEY, SOPS_AGE_KEY_FILE and the default keys file are tried too)'
            cand --approved-by 'Record an approval as an Approved-by trailer ("Name <email>"); repeatable'
            cand --emergency 'Write inside a freeze window or outside the allowed hours, recording why'
            cand --reason 'Why the change is made, recorded as a Cfgctl-Reason trailer and shown by `log`'
            cand -C 'Run as if started in DIR (the repository root is found from there)'
            cand --format 'Output format'
            cand --color 'When to colour human output (NO_COLOR is honoured with auto)'
            cand --execute 'Make the change and commit it (without it, only the plan is shown)'
            cand -q 'Print nothing but results, findings, blockers and errors (no status lines, notes, summaries or progress)'
            cand --quiet 'Print nothing but results, findings, blockers and errors (no status lines, notes, summaries or progress)'
            cand -h 'Print help (see more with ''--help'')'
            cand --help 'Print help (see more with ''--help'')'
            cand -V 'Print version'
            cand --version 'Print version'
        }
        &'cfgctl;env;help'= {
            cand list 'List the environments in promotion order with their documents, secret files, flag file and active packs'
            cand add 'Add an environment made from an existing one: its files copied, its secrets re-encrypted for the new recipients, every flag off; one commit (dry run unless --execute)'
            cand help 'Print this message or the help of the given subcommand(s)'
        }
        &'cfgctl;env;help;list'= {
        }
        &'cfgctl;env;help;add'= {
        }
        &'cfgctl;env;help;help'= {
        }
        &'cfgctl;promote'= {
            cand --approved-by 'Record an approval as an Approved-by trailer ("Name <email>"); repeatable'
            cand --emergency 'Write inside a freeze window or outside the allowed hours, recording why'
            cand --reason 'Why the change is made, recorded as a Cfgctl-Reason trailer and shown by `log`'
            cand --branch 'Commit on a new branch for review instead of the current one'
            cand -C 'Run as if started in DIR (the repository root is found from there)'
            cand --format 'Output format'
            cand --color 'When to colour human output (NO_COLOR is honoured with auto)'
            cand --execute 'Make the change and commit it (without it, only the plan is shown)'
            cand --skip-order 'Allow promoting out of the [repo] environments order'
            cand --show-pinned 'List every pinned key in the plan (by default they are counted per document)'
            cand -q 'Print nothing but results, findings, blockers and errors (no status lines, notes, summaries or progress)'
            cand --quiet 'Print nothing but results, findings, blockers and errors (no status lines, notes, summaries or progress)'
            cand -h 'Print help (see more with ''--help'')'
            cand --help 'Print help (see more with ''--help'')'
            cand -V 'Print version'
            cand --version 'Print version'
        }
        &'cfgctl;status'= {
            cand -C 'Run as if started in DIR (the repository root is found from there)'
            cand --format 'Output format'
            cand --color 'When to colour human output (NO_COLOR is honoured with auto)'
            cand -q 'Print nothing but results, findings, blockers and errors (no status lines, notes, summaries or progress)'
            cand --quiet 'Print nothing but results, findings, blockers and errors (no status lines, notes, summaries or progress)'
            cand -h 'Print help (see more with ''--help'')'
            cand --help 'Print help (see more with ''--help'')'
            cand -V 'Print version'
            cand --version 'Print version'
        }
        &'cfgctl;log'= {
            cand -n 'Show at most N changes'
            cand --max-count 'Show at most N changes'
            cand --since 'Only changes made on or after DATE (YYYY-MM-DD or YYYY-MM-DDTHH:MM:SSZ)'
            cand --key 'With ENV: only the commits that changed the rendered value at KEYPATH (a change in any layer that feeds it), each with the old and the new value'
            cand -C 'Run as if started in DIR (the repository root is found from there)'
            cand --format 'Output format'
            cand --color 'When to colour human output (NO_COLOR is honoured with auto)'
            cand -q 'Print nothing but results, findings, blockers and errors (no status lines, notes, summaries or progress)'
            cand --quiet 'Print nothing but results, findings, blockers and errors (no status lines, notes, summaries or progress)'
            cand -h 'Print help (see more with ''--help'')'
            cand --help 'Print help (see more with ''--help'')'
            cand -V 'Print version'
            cand --version 'Print version'
        }
        &'cfgctl;blame'= {
            cand -C 'Run as if started in DIR (the repository root is found from there)'
            cand --format 'Output format'
            cand --color 'When to colour human output (NO_COLOR is honoured with auto)'
            cand -q 'Print nothing but results, findings, blockers and errors (no status lines, notes, summaries or progress)'
            cand --quiet 'Print nothing but results, findings, blockers and errors (no status lines, notes, summaries or progress)'
            cand -h 'Print help (see more with ''--help'')'
            cand --help 'Print help (see more with ''--help'')'
            cand -V 'Print version'
            cand --version 'Print version'
        }
        &'cfgctl;rollback'= {
            cand --env 'The environment to restore (with --to) or whose last promotion to revert'
            cand --to 'Restore the environment''s own files (its directory, flag file and overrides) as at REV'
            cand --approved-by 'Record an approval as an Approved-by trailer ("Name <email>"); repeatable'
            cand --emergency 'Write inside a freeze window or outside the allowed hours, recording why'
            cand --reason 'Why the change is made, recorded as a Cfgctl-Reason trailer and shown by `log`'
            cand -C 'Run as if started in DIR (the repository root is found from there)'
            cand --format 'Output format'
            cand --color 'When to colour human output (NO_COLOR is honoured with auto)'
            cand --last-promotion 'Revert the last promotion into the environment'
            cand --execute 'Make the change and commit it (without it, only the plan is shown)'
            cand -q 'Print nothing but results, findings, blockers and errors (no status lines, notes, summaries or progress)'
            cand --quiet 'Print nothing but results, findings, blockers and errors (no status lines, notes, summaries or progress)'
            cand -h 'Print help (see more with ''--help'')'
            cand --help 'Print help (see more with ''--help'')'
            cand -V 'Print version'
            cand --version 'Print version'
        }
        &'cfgctl;flags'= {
            cand -C 'Run as if started in DIR (the repository root is found from there)'
            cand --format 'Output format'
            cand --color 'When to colour human output (NO_COLOR is honoured with auto)'
            cand -q 'Print nothing but results, findings, blockers and errors (no status lines, notes, summaries or progress)'
            cand --quiet 'Print nothing but results, findings, blockers and errors (no status lines, notes, summaries or progress)'
            cand -h 'Print help (see more with ''--help'')'
            cand --help 'Print help (see more with ''--help'')'
            cand -V 'Print version'
            cand --version 'Print version'
            cand validate 'Check flag files against the flagd schemas and cfgctl''s flag rules'
            cand eval 'Evaluate a flag for a context, as flagd does'
            cand explain 'Show why a flag evaluates as it does: the rule that matched, the bucketing key and hash'
            cand stage 'Move a flag to a rollout stage: disabled, canary, beta, staged, full (dry run unless --execute)'
            cand bench 'Evaluate many (flag, context) pairs in one process and print the rate'
            cand help 'Print this message or the help of the given subcommand(s)'
        }
        &'cfgctl;flags;validate'= {
            cand --env 'Check only this environment''s flag file'
            cand -C 'Run as if started in DIR (the repository root is found from there)'
            cand --format 'Output format'
            cand --color 'When to colour human output (NO_COLOR is honoured with auto)'
            cand --deny-warnings 'Exit 1 on warnings (stale flags) too'
            cand -q 'Print nothing but results, findings, blockers and errors (no status lines, notes, summaries or progress)'
            cand --quiet 'Print nothing but results, findings, blockers and errors (no status lines, notes, summaries or progress)'
            cand -h 'Print help (see more with ''--help'')'
            cand --help 'Print help (see more with ''--help'')'
            cand -V 'Print version'
            cand --version 'Print version'
        }
        &'cfgctl;flags;eval'= {
            cand --env 'Environment whose flag file (flags/ENV.flags.json or .yaml) is used'
            cand --context 'A context attribute; VALUE is JSON if it parses as JSON, else a string; KEY may be dotted'
            cand --context-file 'A JSON or YAML file with the context object (--context values override it)'
            cand --targeting-key 'The targeting key (OpenFeature''s user id), `targetingKey` in the context'
            cand --fractional '`fractional` generation: v2 as the flagd daemon, or v3 (CBOR-encoded keys, not in flagd yet)'
            cand -C 'Run as if started in DIR (the repository root is found from there)'
            cand --format 'Output format'
            cand --color 'When to colour human output (NO_COLOR is honoured with auto)'
            cand --all 'Evaluate every flag of the environment'
            cand -q 'Print nothing but results, findings, blockers and errors (no status lines, notes, summaries or progress)'
            cand --quiet 'Print nothing but results, findings, blockers and errors (no status lines, notes, summaries or progress)'
            cand -h 'Print help (see more with ''--help'')'
            cand --help 'Print help (see more with ''--help'')'
            cand -V 'Print version'
            cand --version 'Print version'
        }
        &'cfgctl;flags;explain'= {
            cand --env 'Environment whose flag file (flags/ENV.flags.json or .yaml) is used'
            cand --context 'A context attribute; VALUE is JSON if it parses as JSON, else a string; KEY may be dotted'
            cand --context-file 'A JSON or YAML file with the context object (--context values override it)'
            cand --targeting-key 'The targeting key (OpenFeature''s user id), `targetingKey` in the context'
            cand --fractional '`fractional` generation: v2 as the flagd daemon, or v3 (CBOR-encoded keys, not in flagd yet)'
            cand -C 'Run as if started in DIR (the repository root is found from there)'
            cand --format 'Output format'
            cand --color 'When to colour human output (NO_COLOR is honoured with auto)'
            cand -q 'Print nothing but results, findings, blockers and errors (no status lines, notes, summaries or progress)'
            cand --quiet 'Print nothing but results, findings, blockers and errors (no status lines, notes, summaries or progress)'
            cand -h 'Print help (see more with ''--help'')'
            cand --help 'Print help (see more with ''--help'')'
            cand -V 'Print version'
            cand --version 'Print version'
        }
        &'cfgctl;flags;stage'= {
            cand --env 'Environment whose flag file is changed'
            cand --percent 'Rollout percentage for canary, beta and staged (default 5, 25, 50; steps of 0.01)'
            cand --approved-by 'Record an approval as an Approved-by trailer ("Name <email>"); repeatable'
            cand --emergency 'Write inside a freeze window or outside the allowed hours, recording why'
            cand --reason 'Why the change is made, recorded as a Cfgctl-Reason trailer and shown by `log`'
            cand -C 'Run as if started in DIR (the repository root is found from there)'
            cand --format 'Output format'
            cand --color 'When to colour human output (NO_COLOR is honoured with auto)'
            cand --next 'Advance one step of the [flags.rollout] schedule (refused inside min_step_interval or after an unhealthy guard verdict)'
            cand --back 'Go one step back along the [flags.rollout] schedule (to disabled before the first)'
            cand --execute 'Make the change and commit it (without it, only the plan is shown)'
            cand --force 'Include uncommitted changes of the flag file in the commit instead of refusing'
            cand -q 'Print nothing but results, findings, blockers and errors (no status lines, notes, summaries or progress)'
            cand --quiet 'Print nothing but results, findings, blockers and errors (no status lines, notes, summaries or progress)'
            cand -h 'Print help (see more with ''--help'')'
            cand --help 'Print help (see more with ''--help'')'
            cand -V 'Print version'
            cand --version 'Print version'
        }
        &'cfgctl;flags;bench'= {
            cand --count 'Number of evaluations'
            cand --env 'Environment whose flag file (flags/ENV.flags.json or .yaml) is used'
            cand --context 'A context attribute; VALUE is JSON if it parses as JSON, else a string; KEY may be dotted'
            cand --context-file 'A JSON or YAML file with the context object (--context values override it)'
            cand --targeting-key 'The targeting key (OpenFeature''s user id), `targetingKey` in the context'
            cand --fractional '`fractional` generation: v2 as the flagd daemon, or v3 (CBOR-encoded keys, not in flagd yet)'
            cand -C 'Run as if started in DIR (the repository root is found from there)'
            cand --format 'Output format'
            cand --color 'When to colour human output (NO_COLOR is honoured with auto)'
            cand -q 'Print nothing but results, findings, blockers and errors (no status lines, notes, summaries or progress)'
            cand --quiet 'Print nothing but results, findings, blockers and errors (no status lines, notes, summaries or progress)'
            cand -h 'Print help (see more with ''--help'')'
            cand --help 'Print help (see more with ''--help'')'
            cand -V 'Print version'
            cand --version 'Print version'
        }
        &'cfgctl;flags;help'= {
            cand validate 'Check flag files against the flagd schemas and cfgctl''s flag rules'
            cand eval 'Evaluate a flag for a context, as flagd does'
            cand explain 'Show why a flag evaluates as it does: the rule that matched, the bucketing key and hash'
            cand stage 'Move a flag to a rollout stage: disabled, canary, beta, staged, full (dry run unless --execute)'
            cand bench 'Evaluate many (flag, context) pairs in one process and print the rate'
            cand help 'Print this message or the help of the given subcommand(s)'
        }
        &'cfgctl;flags;help;validate'= {
        }
        &'cfgctl;flags;help;eval'= {
        }
        &'cfgctl;flags;help;explain'= {
        }
        &'cfgctl;flags;help;stage'= {
        }
        &'cfgctl;flags;help;bench'= {
        }
        &'cfgctl;flags;help;help'= {
        }
        &'cfgctl;guard'= {
            cand --metrics 'Health readings: a JSON or YAML object of numbers (one reading), an array of them, or JSON Lines (.jsonl, or - for stdin), e.g. {"time": "2026-06-01T10:00:00Z", "error_rate": 0.02, "requests": 1200}; repeatable'
            cand --approved-by 'Record an approval as an Approved-by trailer ("Name <email>"); repeatable'
            cand --emergency 'Write inside a freeze window or outside the allowed hours, recording why'
            cand --reason 'Why the change is made, recorded as a Cfgctl-Reason trailer and shown by `log`'
            cand -C 'Run as if started in DIR (the repository root is found from there)'
            cand --format 'Output format'
            cand --color 'When to colour human output (NO_COLOR is honoured with auto)'
            cand --execute 'Make the change and commit it (without it, only the plan is shown)'
            cand -q 'Print nothing but results, findings, blockers and errors (no status lines, notes, summaries or progress)'
            cand --quiet 'Print nothing but results, findings, blockers and errors (no status lines, notes, summaries or progress)'
            cand -h 'Print help (see more with ''--help'')'
            cand --help 'Print help (see more with ''--help'')'
            cand -V 'Print version'
            cand --version 'Print version'
        }
        &'cfgctl;secrets'= {
            cand -C 'Run as if started in DIR (the repository root is found from there)'
            cand --format 'Output format'
            cand --color 'When to colour human output (NO_COLOR is honoured with auto)'
            cand -q 'Print nothing but results, findings, blockers and errors (no status lines, notes, summaries or progress)'
            cand --quiet 'Print nothing but results, findings, blockers and errors (no status lines, notes, summaries or progress)'
            cand -h 'Print help (see more with ''--help'')'
            cand --help 'Print help (see more with ''--help'')'
            cand -V 'Print version'
            cand --version 'Print version'
            cand keygen 'Create an age identity where sops looks for it and print its public recipient'
            cand encrypt 'Encrypt a YAML, JSON or dotenv file for the recipients its .sops.yaml rule names'
            cand decrypt 'Decrypt a file (to stdout unless --in-place or --output)'
            cand edit 'Decrypt to a private temporary file, open $EDITOR, validate, re-encrypt'
            cand set 'Set one value (encrypted if the file''s rule says so)'
            cand unset 'Remove one value'
            cand get 'Print one decrypted value'
            cand updatekeys 'Re-wrap data keys for the recipients .sops.yaml names now'
            cand rotate 'Give files a new data key and re-encrypt every value'
            cand list 'List the encrypted files: recipients, values, age (no key needed)'
            cand check 'Check that what must be encrypted is, and that MACs verify (for pre-commit and CI)'
            cand exec 'Run a command with a file''s values as environment variables'
            cand git-setup 'Make Git merge encrypted files by key path and show them decrypted in `git diff`'
            cand merge-driver 'Merge an encrypted file three-way by key path (Git''s merge driver; see git-setup)'
            cand textconv 'Print an encrypted file decrypted, or masked without a key (Git''s textconv; see git-setup)'
            cand help 'Print this message or the help of the given subcommand(s)'
        }
        &'cfgctl;secrets;keygen'= {
            cand -o 'Where to write the identity (default: $XDG_CONFIG_HOME/sops/age/keys.txt)'
            cand --output 'Where to write the identity (default: $XDG_CONFIG_HOME/sops/age/keys.txt)'
            cand -C 'Run as if started in DIR (the repository root is found from there)'
            cand --format 'Output format'
            cand --color 'When to colour human output (NO_COLOR is honoured with auto)'
            cand -q 'Print nothing but results, findings, blockers and errors (no status lines, notes, summaries or progress)'
            cand --quiet 'Print nothing but results, findings, blockers and errors (no status lines, notes, summaries or progress)'
            cand -h 'Print help (see more with ''--help'')'
            cand --help 'Print help (see more with ''--help'')'
            cand -V 'Print version'
            cand --version 'Print version'
        }
        &'cfgctl;secrets;encrypt'= {
            cand -o 'Write the encrypted file here (its path picks the .sops.yaml rule)'
            cand --output 'Write the encrypted file here (its path picks the .sops.yaml rule)'
            cand --age 'Encrypt for these recipients instead of the .sops.yaml rule''s (repeatable)'
            cand --config 'The .sops.yaml to take creation rules from (default: SOPS_CONFIG, else the nearest .sops.yaml in the current directory or its parents)'
            cand -C 'Run as if started in DIR (the repository root is found from there)'
            cand --format 'Output format'
            cand --color 'When to colour human output (NO_COLOR is honoured with auto)'
            cand -i 'Replace each FILE with its encrypted version'
            cand --in-place 'Replace each FILE with its encrypted version'
            cand -q 'Print nothing but results, findings, blockers and errors (no status lines, notes, summaries or progress)'
            cand --quiet 'Print nothing but results, findings, blockers and errors (no status lines, notes, summaries or progress)'
            cand -h 'Print help (see more with ''--help'')'
            cand --help 'Print help (see more with ''--help'')'
            cand -V 'Print version'
            cand --version 'Print version'
        }
        &'cfgctl;secrets;decrypt'= {
            cand -o 'Write the plaintext here'
            cand --output 'Write the plaintext here'
            cand --identity 'An age identity file to decrypt with (repeatable); tried before SOPS_AGE_KEY, SOPS_AGE_KEY_FILE, the default keys.txt and ~/.ssh keys'
            cand -C 'Run as if started in DIR (the repository root is found from there)'
            cand --format 'Output format'
            cand --color 'When to colour human output (NO_COLOR is honoured with auto)'
            cand -i 'Replace FILE with the decrypted version'
            cand --in-place 'Replace FILE with the decrypted version'
            cand --force 'Write plaintext even into a file Git tracks'
            cand -q 'Print nothing but results, findings, blockers and errors (no status lines, notes, summaries or progress)'
            cand --quiet 'Print nothing but results, findings, blockers and errors (no status lines, notes, summaries or progress)'
            cand -h 'Print help (see more with ''--help'')'
            cand --help 'Print help (see more with ''--help'')'
            cand -V 'Print version'
            cand --version 'Print version'
        }
        &'cfgctl;secrets;edit'= {
            cand --identity 'An age identity file to decrypt with (repeatable); tried before SOPS_AGE_KEY, SOPS_AGE_KEY_FILE, the default keys.txt and ~/.ssh keys'
            cand --config 'The .sops.yaml to take creation rules from (default: SOPS_CONFIG, else the nearest .sops.yaml in the current directory or its parents)'
            cand -C 'Run as if started in DIR (the repository root is found from there)'
            cand --format 'Output format'
            cand --color 'When to colour human output (NO_COLOR is honoured with auto)'
            cand -q 'Print nothing but results, findings, blockers and errors (no status lines, notes, summaries or progress)'
            cand --quiet 'Print nothing but results, findings, blockers and errors (no status lines, notes, summaries or progress)'
            cand -h 'Print help (see more with ''--help'')'
            cand --help 'Print help (see more with ''--help'')'
            cand -V 'Print version'
            cand --version 'Print version'
        }
        &'cfgctl;secrets;set'= {
            cand --identity 'An age identity file to decrypt with (repeatable); tried before SOPS_AGE_KEY, SOPS_AGE_KEY_FILE, the default keys.txt and ~/.ssh keys'
            cand -m 'The commit subject (with --commit)'
            cand --message 'The commit subject (with --commit)'
            cand --approved-by 'Record an approval as an Approved-by trailer ("Name <email>"); repeatable'
            cand --emergency 'Write inside a freeze window or outside the allowed hours, recording why'
            cand --reason 'Why the change is made, recorded as a Cfgctl-Reason trailer and shown by `log`'
            cand -C 'Run as if started in DIR (the repository root is found from there)'
            cand --format 'Output format'
            cand --color 'When to colour human output (NO_COLOR is honoured with auto)'
            cand --stdin 'Read the value from standard input (keeps it out of shell history)'
            cand --json 'Parse the value as JSON (numbers, booleans, lists, objects)'
            cand --commit 'Commit the change through the write pipeline and policy, instead of editing the working tree file'
            cand --execute 'Make the change and commit it (without it, only the plan is shown)'
            cand -q 'Print nothing but results, findings, blockers and errors (no status lines, notes, summaries or progress)'
            cand --quiet 'Print nothing but results, findings, blockers and errors (no status lines, notes, summaries or progress)'
            cand -h 'Print help (see more with ''--help'')'
            cand --help 'Print help (see more with ''--help'')'
            cand -V 'Print version'
            cand --version 'Print version'
        }
        &'cfgctl;secrets;unset'= {
            cand --identity 'An age identity file to decrypt with (repeatable); tried before SOPS_AGE_KEY, SOPS_AGE_KEY_FILE, the default keys.txt and ~/.ssh keys'
            cand -m 'The commit subject (with --commit)'
            cand --message 'The commit subject (with --commit)'
            cand --approved-by 'Record an approval as an Approved-by trailer ("Name <email>"); repeatable'
            cand --emergency 'Write inside a freeze window or outside the allowed hours, recording why'
            cand --reason 'Why the change is made, recorded as a Cfgctl-Reason trailer and shown by `log`'
            cand -C 'Run as if started in DIR (the repository root is found from there)'
            cand --format 'Output format'
            cand --color 'When to colour human output (NO_COLOR is honoured with auto)'
            cand --commit 'Commit the change through the write pipeline and policy, instead of editing the working tree file'
            cand --execute 'Make the change and commit it (without it, only the plan is shown)'
            cand -q 'Print nothing but results, findings, blockers and errors (no status lines, notes, summaries or progress)'
            cand --quiet 'Print nothing but results, findings, blockers and errors (no status lines, notes, summaries or progress)'
            cand -h 'Print help (see more with ''--help'')'
            cand --help 'Print help (see more with ''--help'')'
            cand -V 'Print version'
            cand --version 'Print version'
        }
        &'cfgctl;secrets;get'= {
            cand --identity 'An age identity file to decrypt with (repeatable); tried before SOPS_AGE_KEY, SOPS_AGE_KEY_FILE, the default keys.txt and ~/.ssh keys'
            cand -C 'Run as if started in DIR (the repository root is found from there)'
            cand --format 'Output format'
            cand --color 'When to colour human output (NO_COLOR is honoured with auto)'
            cand -q 'Print nothing but results, findings, blockers and errors (no status lines, notes, summaries or progress)'
            cand --quiet 'Print nothing but results, findings, blockers and errors (no status lines, notes, summaries or progress)'
            cand -h 'Print help (see more with ''--help'')'
            cand --help 'Print help (see more with ''--help'')'
            cand -V 'Print version'
            cand --version 'Print version'
        }
        &'cfgctl;secrets;updatekeys'= {
            cand --identity 'An age identity file to decrypt with (repeatable); tried before SOPS_AGE_KEY, SOPS_AGE_KEY_FILE, the default keys.txt and ~/.ssh keys'
            cand --config 'The .sops.yaml to take creation rules from (default: SOPS_CONFIG, else the nearest .sops.yaml in the current directory or its parents)'
            cand -C 'Run as if started in DIR (the repository root is found from there)'
            cand --format 'Output format'
            cand --color 'When to colour human output (NO_COLOR is honoured with auto)'
            cand --dry-run 'Show what would change without writing'
            cand -q 'Print nothing but results, findings, blockers and errors (no status lines, notes, summaries or progress)'
            cand --quiet 'Print nothing but results, findings, blockers and errors (no status lines, notes, summaries or progress)'
            cand -h 'Print help (see more with ''--help'')'
            cand --help 'Print help (see more with ''--help'')'
            cand -V 'Print version'
            cand --version 'Print version'
        }
        &'cfgctl;secrets;rotate'= {
            cand --identity 'An age identity file to decrypt with (repeatable); tried before SOPS_AGE_KEY, SOPS_AGE_KEY_FILE, the default keys.txt and ~/.ssh keys'
            cand --config 'The .sops.yaml to take creation rules from (default: SOPS_CONFIG, else the nearest .sops.yaml in the current directory or its parents)'
            cand -C 'Run as if started in DIR (the repository root is found from there)'
            cand --format 'Output format'
            cand --color 'When to colour human output (NO_COLOR is honoured with auto)'
            cand --dry-run 'Show what would change without writing'
            cand -q 'Print nothing but results, findings, blockers and errors (no status lines, notes, summaries or progress)'
            cand --quiet 'Print nothing but results, findings, blockers and errors (no status lines, notes, summaries or progress)'
            cand -h 'Print help (see more with ''--help'')'
            cand --help 'Print help (see more with ''--help'')'
            cand -V 'Print version'
            cand --version 'Print version'
        }
        &'cfgctl;secrets;list'= {
            cand -C 'Run as if started in DIR (the repository root is found from there)'
            cand --format 'Output format'
            cand --color 'When to colour human output (NO_COLOR is honoured with auto)'
            cand -q 'Print nothing but results, findings, blockers and errors (no status lines, notes, summaries or progress)'
            cand --quiet 'Print nothing but results, findings, blockers and errors (no status lines, notes, summaries or progress)'
            cand -h 'Print help (see more with ''--help'')'
            cand --help 'Print help (see more with ''--help'')'
            cand -V 'Print version'
            cand --version 'Print version'
        }
        &'cfgctl;secrets;check'= {
            cand --max-age 'Report encrypted files whose values were last written longer ago than this (`lastmodified`; a number and h, d, w or y: 90d, 12w, 1y)'
            cand --identity 'An age identity file to decrypt with (repeatable); tried before SOPS_AGE_KEY, SOPS_AGE_KEY_FILE, the default keys.txt and ~/.ssh keys'
            cand --config 'The .sops.yaml to take creation rules from (default: SOPS_CONFIG, else the nearest .sops.yaml in the current directory or its parents)'
            cand -C 'Run as if started in DIR (the repository root is found from there)'
            cand --format 'Output format'
            cand --color 'When to colour human output (NO_COLOR is honoured with auto)'
            cand -q 'Print nothing but results, findings, blockers and errors (no status lines, notes, summaries or progress)'
            cand --quiet 'Print nothing but results, findings, blockers and errors (no status lines, notes, summaries or progress)'
            cand -h 'Print help (see more with ''--help'')'
            cand --help 'Print help (see more with ''--help'')'
            cand -V 'Print version'
            cand --version 'Print version'
        }
        &'cfgctl;secrets;exec'= {
            cand --identity 'An age identity file to decrypt with (repeatable); tried before SOPS_AGE_KEY, SOPS_AGE_KEY_FILE, the default keys.txt and ~/.ssh keys'
            cand -C 'Run as if started in DIR (the repository root is found from there)'
            cand --format 'Output format'
            cand --color 'When to colour human output (NO_COLOR is honoured with auto)'
            cand -q 'Print nothing but results, findings, blockers and errors (no status lines, notes, summaries or progress)'
            cand --quiet 'Print nothing but results, findings, blockers and errors (no status lines, notes, summaries or progress)'
            cand -h 'Print help (see more with ''--help'')'
            cand --help 'Print help (see more with ''--help'')'
            cand -V 'Print version'
            cand --version 'Print version'
        }
        &'cfgctl;secrets;git-setup'= {
            cand -C 'Run as if started in DIR (the repository root is found from there)'
            cand --format 'Output format'
            cand --color 'When to colour human output (NO_COLOR is honoured with auto)'
            cand --dry-run 'Show what would be written without writing it'
            cand -q 'Print nothing but results, findings, blockers and errors (no status lines, notes, summaries or progress)'
            cand --quiet 'Print nothing but results, findings, blockers and errors (no status lines, notes, summaries or progress)'
            cand -h 'Print help (see more with ''--help'')'
            cand --help 'Print help (see more with ''--help'')'
            cand -V 'Print version'
            cand --version 'Print version'
        }
        &'cfgctl;secrets;merge-driver'= {
            cand --identity 'An age identity file to decrypt with (repeatable); tried before SOPS_AGE_KEY, SOPS_AGE_KEY_FILE, the default keys.txt and ~/.ssh keys'
            cand -C 'Run as if started in DIR (the repository root is found from there)'
            cand --format 'Output format'
            cand --color 'When to colour human output (NO_COLOR is honoured with auto)'
            cand -q 'Print nothing but results, findings, blockers and errors (no status lines, notes, summaries or progress)'
            cand --quiet 'Print nothing but results, findings, blockers and errors (no status lines, notes, summaries or progress)'
            cand -h 'Print help (see more with ''--help'')'
            cand --help 'Print help (see more with ''--help'')'
            cand -V 'Print version'
            cand --version 'Print version'
        }
        &'cfgctl;secrets;textconv'= {
            cand --identity 'An age identity file to decrypt with (repeatable); tried before SOPS_AGE_KEY, SOPS_AGE_KEY_FILE, the default keys.txt and ~/.ssh keys'
            cand -C 'Run as if started in DIR (the repository root is found from there)'
            cand --format 'Output format'
            cand --color 'When to colour human output (NO_COLOR is honoured with auto)'
            cand -q 'Print nothing but results, findings, blockers and errors (no status lines, notes, summaries or progress)'
            cand --quiet 'Print nothing but results, findings, blockers and errors (no status lines, notes, summaries or progress)'
            cand -h 'Print help (see more with ''--help'')'
            cand --help 'Print help (see more with ''--help'')'
            cand -V 'Print version'
            cand --version 'Print version'
        }
        &'cfgctl;secrets;help'= {
            cand keygen 'Create an age identity where sops looks for it and print its public recipient'
            cand encrypt 'Encrypt a YAML, JSON or dotenv file for the recipients its .sops.yaml rule names'
            cand decrypt 'Decrypt a file (to stdout unless --in-place or --output)'
            cand edit 'Decrypt to a private temporary file, open $EDITOR, validate, re-encrypt'
            cand set 'Set one value (encrypted if the file''s rule says so)'
            cand unset 'Remove one value'
            cand get 'Print one decrypted value'
            cand updatekeys 'Re-wrap data keys for the recipients .sops.yaml names now'
            cand rotate 'Give files a new data key and re-encrypt every value'
            cand list 'List the encrypted files: recipients, values, age (no key needed)'
            cand check 'Check that what must be encrypted is, and that MACs verify (for pre-commit and CI)'
            cand exec 'Run a command with a file''s values as environment variables'
            cand git-setup 'Make Git merge encrypted files by key path and show them decrypted in `git diff`'
            cand merge-driver 'Merge an encrypted file three-way by key path (Git''s merge driver; see git-setup)'
            cand textconv 'Print an encrypted file decrypted, or masked without a key (Git''s textconv; see git-setup)'
            cand help 'Print this message or the help of the given subcommand(s)'
        }
        &'cfgctl;secrets;help;keygen'= {
        }
        &'cfgctl;secrets;help;encrypt'= {
        }
        &'cfgctl;secrets;help;decrypt'= {
        }
        &'cfgctl;secrets;help;edit'= {
        }
        &'cfgctl;secrets;help;set'= {
        }
        &'cfgctl;secrets;help;unset'= {
        }
        &'cfgctl;secrets;help;get'= {
        }
        &'cfgctl;secrets;help;updatekeys'= {
        }
        &'cfgctl;secrets;help;rotate'= {
        }
        &'cfgctl;secrets;help;list'= {
        }
        &'cfgctl;secrets;help;check'= {
        }
        &'cfgctl;secrets;help;exec'= {
        }
        &'cfgctl;secrets;help;git-setup'= {
        }
        &'cfgctl;secrets;help;merge-driver'= {
        }
        &'cfgctl;secrets;help;textconv'= {
        }
        &'cfgctl;secrets;help;help'= {
        }
        &'cfgctl;packs'= {
            cand -C 'Run as if started in DIR (the repository root is found from there)'
            cand --format 'Output format'
            cand --color 'When to colour human output (NO_COLOR is honoured with auto)'
            cand -q 'Print nothing but results, findings, blockers and errors (no status lines, notes, summaries or progress)'
            cand --quiet 'Print nothing but results, findings, blockers and errors (no status lines, notes, summaries or progress)'
            cand -h 'Print help (see more with ''--help'')'
            cand --help 'Print help (see more with ''--help'')'
            cand -V 'Print version'
            cand --version 'Print version'
            cand validate 'Check packs: manifest, files, integrity, patterns, pack level (checks M1 … K6)'
            cand release 'Write CHECKSUMS.sha256 and the digest, commit, and tag packs/PACK/vVERSION'
            cand list 'List released versions from their tags, and where each is active'
            cand verify 'Recompute a release''s checksums and digest from its tag and compare'
            cand activate 'Make a released version the active one in an environment'
            cand rollback 'Re-activate the version that was active before in an environment'
            cand help 'Print this message or the help of the given subcommand(s)'
        }
        &'cfgctl;packs;validate'= {
            cand -C 'Run as if started in DIR (the repository root is found from there)'
            cand --format 'Output format'
            cand --color 'When to colour human output (NO_COLOR is honoured with auto)'
            cand --deny-warnings 'Exit 1 on warnings too'
            cand --no-cache 'Check every pack again instead of taking unchanged packs'' results from the cache in .git/cfgctl/cache (the results are the same either way)'
            cand -q 'Print nothing but results, findings, blockers and errors (no status lines, notes, summaries or progress)'
            cand --quiet 'Print nothing but results, findings, blockers and errors (no status lines, notes, summaries or progress)'
            cand -h 'Print help (see more with ''--help'')'
            cand --help 'Print help (see more with ''--help'')'
            cand -V 'Print version'
            cand --version 'Print version'
        }
        &'cfgctl;packs;release'= {
            cand --approved-by 'Record an approval as an Approved-by trailer ("Name <email>"); repeatable'
            cand --emergency 'Write inside a freeze window or outside the allowed hours, recording why'
            cand --reason 'Why the change is made, recorded as a Cfgctl-Reason trailer and shown by `log`'
            cand -C 'Run as if started in DIR (the repository root is found from there)'
            cand --format 'Output format'
            cand --color 'When to colour human output (NO_COLOR is honoured with auto)'
            cand --execute 'Make the change and commit it (without it, only the plan is shown)'
            cand -q 'Print nothing but results, findings, blockers and errors (no status lines, notes, summaries or progress)'
            cand --quiet 'Print nothing but results, findings, blockers and errors (no status lines, notes, summaries or progress)'
            cand -h 'Print help (see more with ''--help'')'
            cand --help 'Print help (see more with ''--help'')'
            cand -V 'Print version'
            cand --version 'Print version'
        }
        &'cfgctl;packs;list'= {
            cand -C 'Run as if started in DIR (the repository root is found from there)'
            cand --format 'Output format'
            cand --color 'When to colour human output (NO_COLOR is honoured with auto)'
            cand -q 'Print nothing but results, findings, blockers and errors (no status lines, notes, summaries or progress)'
            cand --quiet 'Print nothing but results, findings, blockers and errors (no status lines, notes, summaries or progress)'
            cand -h 'Print help (see more with ''--help'')'
            cand --help 'Print help (see more with ''--help'')'
            cand -V 'Print version'
            cand --version 'Print version'
        }
        &'cfgctl;packs;verify'= {
            cand -C 'Run as if started in DIR (the repository root is found from there)'
            cand --format 'Output format'
            cand --color 'When to colour human output (NO_COLOR is honoured with auto)'
            cand -q 'Print nothing but results, findings, blockers and errors (no status lines, notes, summaries or progress)'
            cand --quiet 'Print nothing but results, findings, blockers and errors (no status lines, notes, summaries or progress)'
            cand -h 'Print help (see more with ''--help'')'
            cand --help 'Print help (see more with ''--help'')'
            cand -V 'Print version'
            cand --version 'Print version'
        }
        &'cfgctl;packs;activate'= {
            cand --approved-by 'Record an approval as an Approved-by trailer ("Name <email>"); repeatable'
            cand --emergency 'Write inside a freeze window or outside the allowed hours, recording why'
            cand --reason 'Why the change is made, recorded as a Cfgctl-Reason trailer and shown by `log`'
            cand -C 'Run as if started in DIR (the repository root is found from there)'
            cand --format 'Output format'
            cand --color 'When to colour human output (NO_COLOR is honoured with auto)'
            cand --execute 'Make the change and commit it (without it, only the plan is shown)'
            cand -q 'Print nothing but results, findings, blockers and errors (no status lines, notes, summaries or progress)'
            cand --quiet 'Print nothing but results, findings, blockers and errors (no status lines, notes, summaries or progress)'
            cand -h 'Print help (see more with ''--help'')'
            cand --help 'Print help (see more with ''--help'')'
            cand -V 'Print version'
            cand --version 'Print version'
        }
        &'cfgctl;packs;rollback'= {
            cand --approved-by 'Record an approval as an Approved-by trailer ("Name <email>"); repeatable'
            cand --emergency 'Write inside a freeze window or outside the allowed hours, recording why'
            cand --reason 'Why the change is made, recorded as a Cfgctl-Reason trailer and shown by `log`'
            cand -C 'Run as if started in DIR (the repository root is found from there)'
            cand --format 'Output format'
            cand --color 'When to colour human output (NO_COLOR is honoured with auto)'
            cand --execute 'Make the change and commit it (without it, only the plan is shown)'
            cand -q 'Print nothing but results, findings, blockers and errors (no status lines, notes, summaries or progress)'
            cand --quiet 'Print nothing but results, findings, blockers and errors (no status lines, notes, summaries or progress)'
            cand -h 'Print help (see more with ''--help'')'
            cand --help 'Print help (see more with ''--help'')'
            cand -V 'Print version'
            cand --version 'Print version'
        }
        &'cfgctl;packs;help'= {
            cand validate 'Check packs: manifest, files, integrity, patterns, pack level (checks M1 … K6)'
            cand release 'Write CHECKSUMS.sha256 and the digest, commit, and tag packs/PACK/vVERSION'
            cand list 'List released versions from their tags, and where each is active'
            cand verify 'Recompute a release''s checksums and digest from its tag and compare'
            cand activate 'Make a released version the active one in an environment'
            cand rollback 'Re-activate the version that was active before in an environment'
            cand help 'Print this message or the help of the given subcommand(s)'
        }
        &'cfgctl;packs;help;validate'= {
        }
        &'cfgctl;packs;help;release'= {
        }
        &'cfgctl;packs;help;list'= {
        }
        &'cfgctl;packs;help;verify'= {
        }
        &'cfgctl;packs;help;activate'= {
        }
        &'cfgctl;packs;help;rollback'= {
        }
        &'cfgctl;packs;help;help'= {
        }
        &'cfgctl;hooks'= {
            cand -C 'Run as if started in DIR (the repository root is found from there)'
            cand --format 'Output format'
            cand --color 'When to colour human output (NO_COLOR is honoured with auto)'
            cand -q 'Print nothing but results, findings, blockers and errors (no status lines, notes, summaries or progress)'
            cand --quiet 'Print nothing but results, findings, blockers and errors (no status lines, notes, summaries or progress)'
            cand -h 'Print help (see more with ''--help'')'
            cand --help 'Print help (see more with ''--help'')'
            cand -V 'Print version'
            cand --version 'Print version'
            cand install 'Write Git hooks that run cfgctl (default: the pre-commit hook)'
            cand uninstall 'Remove the Git hooks cfgctl wrote, putting back chained ones (default: all of them)'
            cand help 'Print this message or the help of the given subcommand(s)'
        }
        &'cfgctl;hooks;install'= {
            cand -C 'Run as if started in DIR (the repository root is found from there)'
            cand --format 'Output format'
            cand --color 'When to colour human output (NO_COLOR is honoured with auto)'
            cand --pre-commit 'Install the pre-commit hook: `cfgctl validate --staged` on what is being committed'
            cand --pre-push 'Install the pre-push hook: `cfgctl validate --at` each commit being pushed'
            cand --force 'Overwrite a hook that cfgctl did not write (it is lost)'
            cand --chain 'Keep a hook that cfgctl did not write, as <hook>.before-cfgctl, and run it first'
            cand -q 'Print nothing but results, findings, blockers and errors (no status lines, notes, summaries or progress)'
            cand --quiet 'Print nothing but results, findings, blockers and errors (no status lines, notes, summaries or progress)'
            cand -h 'Print help (see more with ''--help'')'
            cand --help 'Print help (see more with ''--help'')'
            cand -V 'Print version'
            cand --version 'Print version'
        }
        &'cfgctl;hooks;uninstall'= {
            cand -C 'Run as if started in DIR (the repository root is found from there)'
            cand --format 'Output format'
            cand --color 'When to colour human output (NO_COLOR is honoured with auto)'
            cand --pre-commit 'Remove the pre-commit hook'
            cand --pre-push 'Remove the pre-push hook'
            cand --force 'Remove a hook cfgctl wrote even if it was changed since'
            cand -q 'Print nothing but results, findings, blockers and errors (no status lines, notes, summaries or progress)'
            cand --quiet 'Print nothing but results, findings, blockers and errors (no status lines, notes, summaries or progress)'
            cand -h 'Print help (see more with ''--help'')'
            cand --help 'Print help (see more with ''--help'')'
            cand -V 'Print version'
            cand --version 'Print version'
        }
        &'cfgctl;hooks;help'= {
            cand install 'Write Git hooks that run cfgctl (default: the pre-commit hook)'
            cand uninstall 'Remove the Git hooks cfgctl wrote, putting back chained ones (default: all of them)'
            cand help 'Print this message or the help of the given subcommand(s)'
        }
        &'cfgctl;hooks;help;install'= {
        }
        &'cfgctl;hooks;help;uninstall'= {
        }
        &'cfgctl;hooks;help;help'= {
        }
        &'cfgctl;completions'= {
            cand -C 'Run as if started in DIR (the repository root is found from there)'
            cand --format 'Output format'
            cand --color 'When to colour human output (NO_COLOR is honoured with auto)'
            cand -q 'Print nothing but results, findings, blockers and errors (no status lines, notes, summaries or progress)'
            cand --quiet 'Print nothing but results, findings, blockers and errors (no status lines, notes, summaries or progress)'
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
            cand -q 'Print nothing but results, findings, blockers and errors (no status lines, notes, summaries or progress)'
            cand --quiet 'Print nothing but results, findings, blockers and errors (no status lines, notes, summaries or progress)'
            cand -h 'Print help (see more with ''--help'')'
            cand --help 'Print help (see more with ''--help'')'
            cand -V 'Print version'
            cand --version 'Print version'
        }
        &'cfgctl;help'= {
            cand init 'Create a configuration repository from the built-in template'
            cand validate 'Check configuration files against their schemas and the built-in rules'
            cand render 'Print an environment''s configuration with every layer merged'
            cand get 'Print one key of an environment''s rendered configuration, and where it came from'
            cand set 'Set one key in a configuration file, keeping its comments and formatting'
            cand unset 'Remove one key from a configuration file, keeping its comments and formatting'
            cand diff 'Compare configuration key by key: environments, revisions, or files'
            cand drift 'Compare what the repository says an environment is with a deployed copy'
            cand env 'The environments: list them in promotion order with what belongs to each'
            cand promote 'Copy configuration from one environment to the next, keeping pinned keys'
            cand status 'Show each environment''s last change, last promotion and what is not promoted yet'
            cand log 'Show the history of configuration changes, read from commits and their trailers'
            cand blame 'Per key of a rendered document: the commit, author and date that last changed its value'
            cand rollback 'Undo commits, or restore an environment to a revision, as new commits'
            cand flags 'Feature flags in flagd format: validate, evaluate, explain, stage a rollout'
            cand guard 'Check health metrics against [guard.ENV] and roll back the newest change on a violation'
            cand secrets 'Encrypt, decrypt and re-key secret files (SOPS format, age recipients)'
            cand packs 'Release, verify, activate and roll back attack packs (prompt-attack patterns)'
            cand hooks 'Install Git hooks that run cfgctl (for teams without the pre-commit framework), or remove them'
            cand completions 'Print a shell completion script'
            cand man 'Print the man page (or write every page to a directory)'
            cand help 'Print this message or the help of the given subcommand(s)'
        }
        &'cfgctl;help;init'= {
        }
        &'cfgctl;help;validate'= {
        }
        &'cfgctl;help;render'= {
        }
        &'cfgctl;help;get'= {
        }
        &'cfgctl;help;set'= {
        }
        &'cfgctl;help;unset'= {
        }
        &'cfgctl;help;diff'= {
        }
        &'cfgctl;help;drift'= {
        }
        &'cfgctl;help;env'= {
            cand list 'List the environments in promotion order with their documents, secret files, flag file and active packs'
            cand add 'Add an environment made from an existing one: its files copied, its secrets re-encrypted for the new recipients, every flag off; one commit (dry run unless --execute)'
        }
        &'cfgctl;help;env;list'= {
        }
        &'cfgctl;help;env;add'= {
        }
        &'cfgctl;help;promote'= {
        }
        &'cfgctl;help;status'= {
        }
        &'cfgctl;help;log'= {
        }
        &'cfgctl;help;blame'= {
        }
        &'cfgctl;help;rollback'= {
        }
        &'cfgctl;help;flags'= {
            cand validate 'Check flag files against the flagd schemas and cfgctl''s flag rules'
            cand eval 'Evaluate a flag for a context, as flagd does'
            cand explain 'Show why a flag evaluates as it does: the rule that matched, the bucketing key and hash'
            cand stage 'Move a flag to a rollout stage: disabled, canary, beta, staged, full (dry run unless --execute)'
            cand bench 'Evaluate many (flag, context) pairs in one process and print the rate'
        }
        &'cfgctl;help;flags;validate'= {
        }
        &'cfgctl;help;flags;eval'= {
        }
        &'cfgctl;help;flags;explain'= {
        }
        &'cfgctl;help;flags;stage'= {
        }
        &'cfgctl;help;flags;bench'= {
        }
        &'cfgctl;help;guard'= {
        }
        &'cfgctl;help;secrets'= {
            cand keygen 'Create an age identity where sops looks for it and print its public recipient'
            cand encrypt 'Encrypt a YAML, JSON or dotenv file for the recipients its .sops.yaml rule names'
            cand decrypt 'Decrypt a file (to stdout unless --in-place or --output)'
            cand edit 'Decrypt to a private temporary file, open $EDITOR, validate, re-encrypt'
            cand set 'Set one value (encrypted if the file''s rule says so)'
            cand unset 'Remove one value'
            cand get 'Print one decrypted value'
            cand updatekeys 'Re-wrap data keys for the recipients .sops.yaml names now'
            cand rotate 'Give files a new data key and re-encrypt every value'
            cand list 'List the encrypted files: recipients, values, age (no key needed)'
            cand check 'Check that what must be encrypted is, and that MACs verify (for pre-commit and CI)'
            cand exec 'Run a command with a file''s values as environment variables'
            cand git-setup 'Make Git merge encrypted files by key path and show them decrypted in `git diff`'
            cand merge-driver 'Merge an encrypted file three-way by key path (Git''s merge driver; see git-setup)'
            cand textconv 'Print an encrypted file decrypted, or masked without a key (Git''s textconv; see git-setup)'
        }
        &'cfgctl;help;secrets;keygen'= {
        }
        &'cfgctl;help;secrets;encrypt'= {
        }
        &'cfgctl;help;secrets;decrypt'= {
        }
        &'cfgctl;help;secrets;edit'= {
        }
        &'cfgctl;help;secrets;set'= {
        }
        &'cfgctl;help;secrets;unset'= {
        }
        &'cfgctl;help;secrets;get'= {
        }
        &'cfgctl;help;secrets;updatekeys'= {
        }
        &'cfgctl;help;secrets;rotate'= {
        }
        &'cfgctl;help;secrets;list'= {
        }
        &'cfgctl;help;secrets;check'= {
        }
        &'cfgctl;help;secrets;exec'= {
        }
        &'cfgctl;help;secrets;git-setup'= {
        }
        &'cfgctl;help;secrets;merge-driver'= {
        }
        &'cfgctl;help;secrets;textconv'= {
        }
        &'cfgctl;help;packs'= {
            cand validate 'Check packs: manifest, files, integrity, patterns, pack level (checks M1 … K6)'
            cand release 'Write CHECKSUMS.sha256 and the digest, commit, and tag packs/PACK/vVERSION'
            cand list 'List released versions from their tags, and where each is active'
            cand verify 'Recompute a release''s checksums and digest from its tag and compare'
            cand activate 'Make a released version the active one in an environment'
            cand rollback 'Re-activate the version that was active before in an environment'
        }
        &'cfgctl;help;packs;validate'= {
        }
        &'cfgctl;help;packs;release'= {
        }
        &'cfgctl;help;packs;list'= {
        }
        &'cfgctl;help;packs;verify'= {
        }
        &'cfgctl;help;packs;activate'= {
        }
        &'cfgctl;help;packs;rollback'= {
        }
        &'cfgctl;help;hooks'= {
            cand install 'Write Git hooks that run cfgctl (default: the pre-commit hook)'
            cand uninstall 'Remove the Git hooks cfgctl wrote, putting back chained ones (default: all of them)'
        }
        &'cfgctl;help;hooks;install'= {
        }
        &'cfgctl;help;hooks;uninstall'= {
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
