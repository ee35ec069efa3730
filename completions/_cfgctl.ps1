
using namespace System.Management.Automation
using namespace System.Management.Automation.Language

Register-ArgumentCompleter -Native -CommandName 'cfgctl' -ScriptBlock {
    param($wordToComplete, $commandAst, $cursorPosition)

    $commandElements = $commandAst.CommandElements
    $command = @(
        'cfgctl'
        for ($i = 1; $i -lt $commandElements.Count; $i++) {
            $element = $commandElements[$i]
            if ($element -isnot [StringConstantExpressionAst] -or
                $element.StringConstantType -ne [StringConstantType]::BareWord -or
                $element.Value.StartsWith('-') -or
                $element.Value -eq $wordToComplete) {
                break
        }
        $element.Value
    }) -join ';'

    $completions = @(switch ($command) {
        'cfgctl' {
            [CompletionResult]::new('-C', '-C ', [CompletionResultType]::ParameterName, 'Run as if started in DIR (the repository root is found from there)')
            [CompletionResult]::new('--format', '--format', [CompletionResultType]::ParameterName, 'Output format')
            [CompletionResult]::new('--color', '--color', [CompletionResultType]::ParameterName, 'When to colour human output (NO_COLOR is honoured with auto)')
            [CompletionResult]::new('-q', '-q', [CompletionResultType]::ParameterName, 'Print nothing but results, findings, blockers and errors (no status lines, notes, summaries or progress)')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'Print nothing but results, findings, blockers and errors (no status lines, notes, summaries or progress)')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('-V', '-V ', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('--version', '--version', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('init', 'init', [CompletionResultType]::ParameterValue, 'Create a configuration repository from the built-in template')
            [CompletionResult]::new('validate', 'validate', [CompletionResultType]::ParameterValue, 'Check configuration files against their schemas and the built-in rules')
            [CompletionResult]::new('render', 'render', [CompletionResultType]::ParameterValue, 'Print an environment''s configuration with every layer merged')
            [CompletionResult]::new('get', 'get', [CompletionResultType]::ParameterValue, 'Print one key of an environment''s rendered configuration, and where it came from')
            [CompletionResult]::new('set', 'set', [CompletionResultType]::ParameterValue, 'Set one key in a configuration file, keeping its comments and formatting')
            [CompletionResult]::new('unset', 'unset', [CompletionResultType]::ParameterValue, 'Remove one key from a configuration file, keeping its comments and formatting')
            [CompletionResult]::new('diff', 'diff', [CompletionResultType]::ParameterValue, 'Compare configuration key by key: environments, revisions, or files')
            [CompletionResult]::new('drift', 'drift', [CompletionResultType]::ParameterValue, 'Compare what the repository says an environment is with a deployed copy')
            [CompletionResult]::new('env', 'env', [CompletionResultType]::ParameterValue, 'The environments: list them in promotion order with what belongs to each')
            [CompletionResult]::new('promote', 'promote', [CompletionResultType]::ParameterValue, 'Copy configuration from one environment to the next, keeping pinned keys')
            [CompletionResult]::new('status', 'status', [CompletionResultType]::ParameterValue, 'Show each environment''s last change, last promotion and what is not promoted yet')
            [CompletionResult]::new('log', 'log', [CompletionResultType]::ParameterValue, 'Show the history of configuration changes, read from commits and their trailers')
            [CompletionResult]::new('blame', 'blame', [CompletionResultType]::ParameterValue, 'Per key of a rendered document: the commit, author and date that last changed its value')
            [CompletionResult]::new('rollback', 'rollback', [CompletionResultType]::ParameterValue, 'Undo commits, or restore an environment to a revision, as new commits')
            [CompletionResult]::new('flags', 'flags', [CompletionResultType]::ParameterValue, 'Feature flags in flagd format: validate, evaluate, explain, stage a rollout')
            [CompletionResult]::new('guard', 'guard', [CompletionResultType]::ParameterValue, 'Check health metrics against [guard.ENV] and roll back the newest change on a violation')
            [CompletionResult]::new('secrets', 'secrets', [CompletionResultType]::ParameterValue, 'Encrypt, decrypt and re-key secret files (SOPS format, age recipients)')
            [CompletionResult]::new('packs', 'packs', [CompletionResultType]::ParameterValue, 'Release, verify, activate and roll back attack packs (prompt-attack patterns)')
            [CompletionResult]::new('hooks', 'hooks', [CompletionResultType]::ParameterValue, 'Install Git hooks that run cfgctl (for teams without the pre-commit framework), or remove them')
            [CompletionResult]::new('completions', 'completions', [CompletionResultType]::ParameterValue, 'Print a shell completion script')
            [CompletionResult]::new('man', 'man', [CompletionResultType]::ParameterValue, 'Print the man page (or write every page to a directory)')
            [CompletionResult]::new('help', 'help', [CompletionResultType]::ParameterValue, 'Print this message or the help of the given subcommand(s)')
            break
        }
        'cfgctl;init' {
            [CompletionResult]::new('-C', '-C ', [CompletionResultType]::ParameterName, 'Run as if started in DIR (the repository root is found from there)')
            [CompletionResult]::new('--format', '--format', [CompletionResultType]::ParameterName, 'Output format')
            [CompletionResult]::new('--color', '--color', [CompletionResultType]::ParameterName, 'When to colour human output (NO_COLOR is honoured with auto)')
            [CompletionResult]::new('--force', '--force', [CompletionResultType]::ParameterName, 'Overwrite template files that already exist in DIR')
            [CompletionResult]::new('--no-commit', '--no-commit', [CompletionResultType]::ParameterName, 'Write the files but do not create a Git repository or commit')
            [CompletionResult]::new('-q', '-q', [CompletionResultType]::ParameterName, 'Print nothing but results, findings, blockers and errors (no status lines, notes, summaries or progress)')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'Print nothing but results, findings, blockers and errors (no status lines, notes, summaries or progress)')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('-V', '-V ', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('--version', '--version', [CompletionResultType]::ParameterName, 'Print version')
            break
        }
        'cfgctl;validate' {
            [CompletionResult]::new('--changed-since', '--changed-since', [CompletionResultType]::ParameterName, 'Check only files changed since REV (plus what cross-environment rules compare them with)')
            [CompletionResult]::new('--at', '--at', [CompletionResultType]::ParameterName, 'Check the files of a revision instead of the working tree (for pre-push hooks); with --changed-since, only what changed between the two')
            [CompletionResult]::new('--schema', '--schema', [CompletionResultType]::ParameterName, 'Check PATHs against this one schema, without a cfgctl.toml')
            [CompletionResult]::new('-C', '-C ', [CompletionResultType]::ParameterName, 'Run as if started in DIR (the repository root is found from there)')
            [CompletionResult]::new('--format', '--format', [CompletionResultType]::ParameterName, 'Output format')
            [CompletionResult]::new('--color', '--color', [CompletionResultType]::ParameterName, 'When to colour human output (NO_COLOR is honoured with auto)')
            [CompletionResult]::new('--staged', '--staged', [CompletionResultType]::ParameterName, 'Check what is staged in the Git index, not the working tree (for pre-commit hooks)')
            [CompletionResult]::new('--deny-warnings', '--deny-warnings', [CompletionResultType]::ParameterName, 'Exit 1 on warnings too')
            [CompletionResult]::new('--no-cache', '--no-cache', [CompletionResultType]::ParameterName, 'Check every file again instead of taking unchanged files'' results from the cache in .git/cfgctl/cache (the results are the same either way)')
            [CompletionResult]::new('-v', '-v', [CompletionResultType]::ParameterName, 'Say how long listing, compiling schemas, checking files and comparing environments took')
            [CompletionResult]::new('--verbose', '--verbose', [CompletionResultType]::ParameterName, 'Say how long listing, compiling schemas, checking files and comparing environments took')
            [CompletionResult]::new('-q', '-q', [CompletionResultType]::ParameterName, 'Print nothing but results, findings, blockers and errors (no status lines, notes, summaries or progress)')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'Print nothing but results, findings, blockers and errors (no status lines, notes, summaries or progress)')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('-V', '-V ', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('--version', '--version', [CompletionResultType]::ParameterName, 'Print version')
            break
        }
        'cfgctl;render' {
            [CompletionResult]::new('--service', '--service', [CompletionResultType]::ParameterName, 'Add the layers of this service (services/S/ and services/S/ENV/)')
            [CompletionResult]::new('--tenant', '--tenant', [CompletionResultType]::ParameterName, 'Add the layers of this tenant (tenants/T/ and tenants/T/ENV/)')
            [CompletionResult]::new('--as', '--as', [CompletionResultType]::ParameterName, 'Print the documents as yaml, json, dotenv (A__B=value), or a Kubernetes ConfigMap manifest')
            [CompletionResult]::new('--name', '--name', [CompletionResultType]::ParameterName, 'The ConfigMap''s metadata.name (with --as configmap)')
            [CompletionResult]::new('--at', '--at', [CompletionResultType]::ParameterName, 'Render the environment as it was at a revision, without a checkout')
            [CompletionResult]::new('--identity', '--identity', [CompletionResultType]::ParameterName, 'An age identity file for --reveal (repeatable; SOPS_AGE_KEY, SOPS_AGE_KEY_FILE and the default keys.txt are tried too)')
            [CompletionResult]::new('-C', '-C ', [CompletionResultType]::ParameterName, 'Run as if started in DIR (the repository root is found from there)')
            [CompletionResult]::new('--format', '--format', [CompletionResultType]::ParameterName, 'Output format')
            [CompletionResult]::new('--color', '--color', [CompletionResultType]::ParameterName, 'When to colour human output (NO_COLOR is honoured with auto)')
            [CompletionResult]::new('--explain', '--explain', [CompletionResultType]::ParameterName, 'Show, for every value, the layer file and line it came from')
            [CompletionResult]::new('--strict', '--strict', [CompletionResultType]::ParameterName, 'Fail on any unresolved ${VAR} (the default when the CI variable is set)')
            [CompletionResult]::new('--no-strict', '--no-strict', [CompletionResultType]::ParameterName, 'Only warn about unresolved ${VAR}, even in CI')
            [CompletionResult]::new('--no-validate', '--no-validate', [CompletionResultType]::ParameterName, 'Do not validate the rendered documents against their schemas')
            [CompletionResult]::new('--reveal', '--reveal', [CompletionResultType]::ParameterName, 'Replace ${SECRET:…} with decrypted values (needs an age identity); without it the references are checked against the secret files and left as written')
            [CompletionResult]::new('-q', '-q', [CompletionResultType]::ParameterName, 'Print nothing but results, findings, blockers and errors (no status lines, notes, summaries or progress)')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'Print nothing but results, findings, blockers and errors (no status lines, notes, summaries or progress)')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('-V', '-V ', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('--version', '--version', [CompletionResultType]::ParameterName, 'Print version')
            break
        }
        'cfgctl;get' {
            [CompletionResult]::new('--document', '--document', [CompletionResultType]::ParameterName, 'Look only in this document (when the key path is in several)')
            [CompletionResult]::new('--service', '--service', [CompletionResultType]::ParameterName, 'Add the layers of this service (services/S/ and services/S/ENV/)')
            [CompletionResult]::new('--tenant', '--tenant', [CompletionResultType]::ParameterName, 'Add the layers of this tenant (tenants/T/ and tenants/T/ENV/)')
            [CompletionResult]::new('--identity', '--identity', [CompletionResultType]::ParameterName, 'An age identity file for --reveal (repeatable)')
            [CompletionResult]::new('-C', '-C ', [CompletionResultType]::ParameterName, 'Run as if started in DIR (the repository root is found from there)')
            [CompletionResult]::new('--format', '--format', [CompletionResultType]::ParameterName, 'Output format')
            [CompletionResult]::new('--color', '--color', [CompletionResultType]::ParameterName, 'When to colour human output (NO_COLOR is honoured with auto)')
            [CompletionResult]::new('--explain', '--explain', [CompletionResultType]::ParameterName, 'Show the layer file and line every value came from')
            [CompletionResult]::new('--reveal', '--reveal', [CompletionResultType]::ParameterName, 'Replace ${SECRET:…} with decrypted values (needs an age identity); without it the references are printed as written')
            [CompletionResult]::new('-q', '-q', [CompletionResultType]::ParameterName, 'Print nothing but results, findings, blockers and errors (no status lines, notes, summaries or progress)')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'Print nothing but results, findings, blockers and errors (no status lines, notes, summaries or progress)')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('-V', '-V ', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('--version', '--version', [CompletionResultType]::ParameterName, 'Print version')
            break
        }
        'cfgctl;set' {
            [CompletionResult]::new('--layer', '--layer', [CompletionResultType]::ParameterName, 'With ENV: the layer to write to')
            [CompletionResult]::new('--document', '--document', [CompletionResultType]::ParameterName, 'With ENV: the document the key is in (when several have it, or for a new key)')
            [CompletionResult]::new('--service', '--service', [CompletionResultType]::ParameterName, 'With ENV: the service whose layers count (services/S/ and services/S/ENV/)')
            [CompletionResult]::new('--tenant', '--tenant', [CompletionResultType]::ParameterName, 'With ENV: the tenant whose layers count (tenants/T/ and tenants/T/ENV/)')
            [CompletionResult]::new('-m', '-m', [CompletionResultType]::ParameterName, 'The commit subject (with --commit)')
            [CompletionResult]::new('--message', '--message', [CompletionResultType]::ParameterName, 'The commit subject (with --commit)')
            [CompletionResult]::new('--approved-by', '--approved-by', [CompletionResultType]::ParameterName, 'Record an approval as an Approved-by trailer ("Name <email>"); repeatable')
            [CompletionResult]::new('--emergency', '--emergency', [CompletionResultType]::ParameterName, 'Write inside a freeze window or outside the allowed hours, recording why')
            [CompletionResult]::new('--reason', '--reason', [CompletionResultType]::ParameterName, 'Why the change is made, recorded as a Cfgctl-Reason trailer and shown by `log`')
            [CompletionResult]::new('-C', '-C ', [CompletionResultType]::ParameterName, 'Run as if started in DIR (the repository root is found from there)')
            [CompletionResult]::new('--format', '--format', [CompletionResultType]::ParameterName, 'Output format')
            [CompletionResult]::new('--color', '--color', [CompletionResultType]::ParameterName, 'When to colour human output (NO_COLOR is honoured with auto)')
            [CompletionResult]::new('--stdin', '--stdin', [CompletionResultType]::ParameterName, 'Read the value from standard input')
            [CompletionResult]::new('--json', '--json', [CompletionResultType]::ParameterName, 'Read the value as JSON (for a list or a mapping)')
            [CompletionResult]::new('--commit', '--commit', [CompletionResultType]::ParameterName, 'Commit the change through the write pipeline and policy, instead of editing the working tree file')
            [CompletionResult]::new('--execute', '--execute', [CompletionResultType]::ParameterName, 'Make the change and commit it (without it, only the plan is shown)')
            [CompletionResult]::new('-q', '-q', [CompletionResultType]::ParameterName, 'Print nothing but results, findings, blockers and errors (no status lines, notes, summaries or progress)')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'Print nothing but results, findings, blockers and errors (no status lines, notes, summaries or progress)')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('-V', '-V ', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('--version', '--version', [CompletionResultType]::ParameterName, 'Print version')
            break
        }
        'cfgctl;unset' {
            [CompletionResult]::new('--layer', '--layer', [CompletionResultType]::ParameterName, 'With ENV: the layer to write to')
            [CompletionResult]::new('--document', '--document', [CompletionResultType]::ParameterName, 'With ENV: the document the key is in (when several have it, or for a new key)')
            [CompletionResult]::new('--service', '--service', [CompletionResultType]::ParameterName, 'With ENV: the service whose layers count (services/S/ and services/S/ENV/)')
            [CompletionResult]::new('--tenant', '--tenant', [CompletionResultType]::ParameterName, 'With ENV: the tenant whose layers count (tenants/T/ and tenants/T/ENV/)')
            [CompletionResult]::new('-m', '-m', [CompletionResultType]::ParameterName, 'The commit subject (with --commit)')
            [CompletionResult]::new('--message', '--message', [CompletionResultType]::ParameterName, 'The commit subject (with --commit)')
            [CompletionResult]::new('--approved-by', '--approved-by', [CompletionResultType]::ParameterName, 'Record an approval as an Approved-by trailer ("Name <email>"); repeatable')
            [CompletionResult]::new('--emergency', '--emergency', [CompletionResultType]::ParameterName, 'Write inside a freeze window or outside the allowed hours, recording why')
            [CompletionResult]::new('--reason', '--reason', [CompletionResultType]::ParameterName, 'Why the change is made, recorded as a Cfgctl-Reason trailer and shown by `log`')
            [CompletionResult]::new('-C', '-C ', [CompletionResultType]::ParameterName, 'Run as if started in DIR (the repository root is found from there)')
            [CompletionResult]::new('--format', '--format', [CompletionResultType]::ParameterName, 'Output format')
            [CompletionResult]::new('--color', '--color', [CompletionResultType]::ParameterName, 'When to colour human output (NO_COLOR is honoured with auto)')
            [CompletionResult]::new('--commit', '--commit', [CompletionResultType]::ParameterName, 'Commit the change through the write pipeline and policy, instead of editing the working tree file')
            [CompletionResult]::new('--execute', '--execute', [CompletionResultType]::ParameterName, 'Make the change and commit it (without it, only the plan is shown)')
            [CompletionResult]::new('-q', '-q', [CompletionResultType]::ParameterName, 'Print nothing but results, findings, blockers and errors (no status lines, notes, summaries or progress)')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'Print nothing but results, findings, blockers and errors (no status lines, notes, summaries or progress)')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('-V', '-V ', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('--version', '--version', [CompletionResultType]::ParameterName, 'Print version')
            break
        }
        'cfgctl;diff' {
            [CompletionResult]::new('--service', '--service', [CompletionResultType]::ParameterName, 'Include the layers of this service when rendering environments')
            [CompletionResult]::new('--tenant', '--tenant', [CompletionResultType]::ParameterName, 'Include the layers of this tenant when rendering environments')
            [CompletionResult]::new('--ignore', '--ignore', [CompletionResultType]::ParameterName, 'Hide key paths matching PATTERN and what is below them (`*` one key, `**` any number, `*_file` a glob); repeatable')
            [CompletionResult]::new('-C', '-C ', [CompletionResultType]::ParameterName, 'Run as if started in DIR (the repository root is found from there)')
            [CompletionResult]::new('--format', '--format', [CompletionResultType]::ParameterName, 'Output format')
            [CompletionResult]::new('--color', '--color', [CompletionResultType]::ParameterName, 'When to colour human output (NO_COLOR is honoured with auto)')
            [CompletionResult]::new('--raw', '--raw', [CompletionResultType]::ParameterName, 'Compare environments'' own files instead of their rendered (layered) result')
            [CompletionResult]::new('--ignore-order', '--ignore-order', [CompletionResultType]::ParameterName, 'Ignore the order of list items')
            [CompletionResult]::new('--ignore-pinned', '--ignore-pinned', [CompletionResultType]::ParameterName, 'Hide keys pinned in [promote] pinned (differences meant to be there)')
            [CompletionResult]::new('--reveal', '--reveal', [CompletionResultType]::ParameterName, 'Show values of secrets instead of masking them')
            [CompletionResult]::new('--exit-code', '--exit-code', [CompletionResultType]::ParameterName, 'Exit 1 when anything differs')
            [CompletionResult]::new('-q', '-q', [CompletionResultType]::ParameterName, 'Print nothing but results, findings, blockers and errors (no status lines, notes, summaries or progress)')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'Print nothing but results, findings, blockers and errors (no status lines, notes, summaries or progress)')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('-V', '-V ', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('--version', '--version', [CompletionResultType]::ParameterName, 'Print version')
            break
        }
        'cfgctl;drift' {
            [CompletionResult]::new('--against', '--against', [CompletionResultType]::ParameterName, 'The deployed copy: a directory of documents, one document, or a ConfigMap manifest')
            [CompletionResult]::new('--service', '--service', [CompletionResultType]::ParameterName, 'Include the layers of this service when rendering environments')
            [CompletionResult]::new('--tenant', '--tenant', [CompletionResultType]::ParameterName, 'Include the layers of this tenant when rendering environments')
            [CompletionResult]::new('--ignore', '--ignore', [CompletionResultType]::ParameterName, 'Hide key paths matching PATTERN and what is below them (`*` one key, `**` any number, `*_file` a glob); repeatable')
            [CompletionResult]::new('-C', '-C ', [CompletionResultType]::ParameterName, 'Run as if started in DIR (the repository root is found from there)')
            [CompletionResult]::new('--format', '--format', [CompletionResultType]::ParameterName, 'Output format')
            [CompletionResult]::new('--color', '--color', [CompletionResultType]::ParameterName, 'When to colour human output (NO_COLOR is honoured with auto)')
            [CompletionResult]::new('--ignore-order', '--ignore-order', [CompletionResultType]::ParameterName, 'Ignore the order of list items')
            [CompletionResult]::new('--ignore-pinned', '--ignore-pinned', [CompletionResultType]::ParameterName, 'Hide keys pinned in [promote] pinned (differences meant to be there)')
            [CompletionResult]::new('--reveal', '--reveal', [CompletionResultType]::ParameterName, 'Show values of secrets instead of masking them')
            [CompletionResult]::new('-q', '-q', [CompletionResultType]::ParameterName, 'Print nothing but results, findings, blockers and errors (no status lines, notes, summaries or progress)')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'Print nothing but results, findings, blockers and errors (no status lines, notes, summaries or progress)')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('-V', '-V ', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('--version', '--version', [CompletionResultType]::ParameterName, 'Print version')
            break
        }
        'cfgctl;env' {
            [CompletionResult]::new('-C', '-C ', [CompletionResultType]::ParameterName, 'Run as if started in DIR (the repository root is found from there)')
            [CompletionResult]::new('--format', '--format', [CompletionResultType]::ParameterName, 'Output format')
            [CompletionResult]::new('--color', '--color', [CompletionResultType]::ParameterName, 'When to colour human output (NO_COLOR is honoured with auto)')
            [CompletionResult]::new('-q', '-q', [CompletionResultType]::ParameterName, 'Print nothing but results, findings, blockers and errors (no status lines, notes, summaries or progress)')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'Print nothing but results, findings, blockers and errors (no status lines, notes, summaries or progress)')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('-V', '-V ', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('--version', '--version', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('list', 'list', [CompletionResultType]::ParameterValue, 'List the environments in promotion order with their documents, secret files, flag file and active packs')
            [CompletionResult]::new('add', 'add', [CompletionResultType]::ParameterValue, 'Add an environment made from an existing one: its files copied, its secrets re-encrypted for the new recipients, every flag off; one commit (dry run unless --execute)')
            [CompletionResult]::new('help', 'help', [CompletionResultType]::ParameterValue, 'Print this message or the help of the given subcommand(s)')
            break
        }
        'cfgctl;env;list' {
            [CompletionResult]::new('-C', '-C ', [CompletionResultType]::ParameterName, 'Run as if started in DIR (the repository root is found from there)')
            [CompletionResult]::new('--format', '--format', [CompletionResultType]::ParameterName, 'Output format')
            [CompletionResult]::new('--color', '--color', [CompletionResultType]::ParameterName, 'When to colour human output (NO_COLOR is honoured with auto)')
            [CompletionResult]::new('-q', '-q', [CompletionResultType]::ParameterName, 'Print nothing but results, findings, blockers and errors (no status lines, notes, summaries or progress)')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'Print nothing but results, findings, blockers and errors (no status lines, notes, summaries or progress)')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('-V', '-V ', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('--version', '--version', [CompletionResultType]::ParameterName, 'Print version')
            break
        }
        'cfgctl;env;add' {
            [CompletionResult]::new('--from', '--from', [CompletionResultType]::ParameterName, 'The environment whose files the new one starts from')
            [CompletionResult]::new('--after', '--after', [CompletionResultType]::ParameterName, 'The environment the new one follows in promotion order (default: the --from one)')
            [CompletionResult]::new('--age', '--age', [CompletionResultType]::ParameterName, 'An age recipient for the new environment''s secret files (repeatable; default: the --from environment''s recipients)')
            [CompletionResult]::new('--identity', '--identity', [CompletionResultType]::ParameterName, 'An age identity file that decrypts the --from environment''s secret files (repeatable; SOPS_AGE_KEY, SOPS_AGE_KEY_FILE and the default keys file are tried too)')
            [CompletionResult]::new('--approved-by', '--approved-by', [CompletionResultType]::ParameterName, 'Record an approval as an Approved-by trailer ("Name <email>"); repeatable')
            [CompletionResult]::new('--emergency', '--emergency', [CompletionResultType]::ParameterName, 'Write inside a freeze window or outside the allowed hours, recording why')
            [CompletionResult]::new('--reason', '--reason', [CompletionResultType]::ParameterName, 'Why the change is made, recorded as a Cfgctl-Reason trailer and shown by `log`')
            [CompletionResult]::new('-C', '-C ', [CompletionResultType]::ParameterName, 'Run as if started in DIR (the repository root is found from there)')
            [CompletionResult]::new('--format', '--format', [CompletionResultType]::ParameterName, 'Output format')
            [CompletionResult]::new('--color', '--color', [CompletionResultType]::ParameterName, 'When to colour human output (NO_COLOR is honoured with auto)')
            [CompletionResult]::new('--execute', '--execute', [CompletionResultType]::ParameterName, 'Make the change and commit it (without it, only the plan is shown)')
            [CompletionResult]::new('-q', '-q', [CompletionResultType]::ParameterName, 'Print nothing but results, findings, blockers and errors (no status lines, notes, summaries or progress)')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'Print nothing but results, findings, blockers and errors (no status lines, notes, summaries or progress)')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('-V', '-V ', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('--version', '--version', [CompletionResultType]::ParameterName, 'Print version')
            break
        }
        'cfgctl;env;help' {
            [CompletionResult]::new('list', 'list', [CompletionResultType]::ParameterValue, 'List the environments in promotion order with their documents, secret files, flag file and active packs')
            [CompletionResult]::new('add', 'add', [CompletionResultType]::ParameterValue, 'Add an environment made from an existing one: its files copied, its secrets re-encrypted for the new recipients, every flag off; one commit (dry run unless --execute)')
            [CompletionResult]::new('help', 'help', [CompletionResultType]::ParameterValue, 'Print this message or the help of the given subcommand(s)')
            break
        }
        'cfgctl;env;help;list' {
            break
        }
        'cfgctl;env;help;add' {
            break
        }
        'cfgctl;env;help;help' {
            break
        }
        'cfgctl;promote' {
            [CompletionResult]::new('--approved-by', '--approved-by', [CompletionResultType]::ParameterName, 'Record an approval as an Approved-by trailer ("Name <email>"); repeatable')
            [CompletionResult]::new('--emergency', '--emergency', [CompletionResultType]::ParameterName, 'Write inside a freeze window or outside the allowed hours, recording why')
            [CompletionResult]::new('--reason', '--reason', [CompletionResultType]::ParameterName, 'Why the change is made, recorded as a Cfgctl-Reason trailer and shown by `log`')
            [CompletionResult]::new('--branch', '--branch', [CompletionResultType]::ParameterName, 'Commit on a new branch for review instead of the current one')
            [CompletionResult]::new('-C', '-C ', [CompletionResultType]::ParameterName, 'Run as if started in DIR (the repository root is found from there)')
            [CompletionResult]::new('--format', '--format', [CompletionResultType]::ParameterName, 'Output format')
            [CompletionResult]::new('--color', '--color', [CompletionResultType]::ParameterName, 'When to colour human output (NO_COLOR is honoured with auto)')
            [CompletionResult]::new('--execute', '--execute', [CompletionResultType]::ParameterName, 'Make the change and commit it (without it, only the plan is shown)')
            [CompletionResult]::new('--skip-order', '--skip-order', [CompletionResultType]::ParameterName, 'Allow promoting out of the [repo] environments order')
            [CompletionResult]::new('--show-pinned', '--show-pinned', [CompletionResultType]::ParameterName, 'List every pinned key in the plan (by default they are counted per document)')
            [CompletionResult]::new('-q', '-q', [CompletionResultType]::ParameterName, 'Print nothing but results, findings, blockers and errors (no status lines, notes, summaries or progress)')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'Print nothing but results, findings, blockers and errors (no status lines, notes, summaries or progress)')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('-V', '-V ', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('--version', '--version', [CompletionResultType]::ParameterName, 'Print version')
            break
        }
        'cfgctl;status' {
            [CompletionResult]::new('-C', '-C ', [CompletionResultType]::ParameterName, 'Run as if started in DIR (the repository root is found from there)')
            [CompletionResult]::new('--format', '--format', [CompletionResultType]::ParameterName, 'Output format')
            [CompletionResult]::new('--color', '--color', [CompletionResultType]::ParameterName, 'When to colour human output (NO_COLOR is honoured with auto)')
            [CompletionResult]::new('-q', '-q', [CompletionResultType]::ParameterName, 'Print nothing but results, findings, blockers and errors (no status lines, notes, summaries or progress)')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'Print nothing but results, findings, blockers and errors (no status lines, notes, summaries or progress)')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('-V', '-V ', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('--version', '--version', [CompletionResultType]::ParameterName, 'Print version')
            break
        }
        'cfgctl;log' {
            [CompletionResult]::new('-n', '-n', [CompletionResultType]::ParameterName, 'Show at most N changes')
            [CompletionResult]::new('--max-count', '--max-count', [CompletionResultType]::ParameterName, 'Show at most N changes')
            [CompletionResult]::new('--since', '--since', [CompletionResultType]::ParameterName, 'Only changes made on or after DATE (YYYY-MM-DD or YYYY-MM-DDTHH:MM:SSZ)')
            [CompletionResult]::new('--key', '--key', [CompletionResultType]::ParameterName, 'With ENV: only the commits that changed the rendered value at KEYPATH (a change in any layer that feeds it), each with the old and the new value')
            [CompletionResult]::new('-C', '-C ', [CompletionResultType]::ParameterName, 'Run as if started in DIR (the repository root is found from there)')
            [CompletionResult]::new('--format', '--format', [CompletionResultType]::ParameterName, 'Output format')
            [CompletionResult]::new('--color', '--color', [CompletionResultType]::ParameterName, 'When to colour human output (NO_COLOR is honoured with auto)')
            [CompletionResult]::new('-q', '-q', [CompletionResultType]::ParameterName, 'Print nothing but results, findings, blockers and errors (no status lines, notes, summaries or progress)')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'Print nothing but results, findings, blockers and errors (no status lines, notes, summaries or progress)')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('-V', '-V ', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('--version', '--version', [CompletionResultType]::ParameterName, 'Print version')
            break
        }
        'cfgctl;blame' {
            [CompletionResult]::new('-C', '-C ', [CompletionResultType]::ParameterName, 'Run as if started in DIR (the repository root is found from there)')
            [CompletionResult]::new('--format', '--format', [CompletionResultType]::ParameterName, 'Output format')
            [CompletionResult]::new('--color', '--color', [CompletionResultType]::ParameterName, 'When to colour human output (NO_COLOR is honoured with auto)')
            [CompletionResult]::new('-q', '-q', [CompletionResultType]::ParameterName, 'Print nothing but results, findings, blockers and errors (no status lines, notes, summaries or progress)')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'Print nothing but results, findings, blockers and errors (no status lines, notes, summaries or progress)')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('-V', '-V ', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('--version', '--version', [CompletionResultType]::ParameterName, 'Print version')
            break
        }
        'cfgctl;rollback' {
            [CompletionResult]::new('--env', '--env', [CompletionResultType]::ParameterName, 'The environment to restore (with --to) or whose last promotion to revert')
            [CompletionResult]::new('--to', '--to', [CompletionResultType]::ParameterName, 'Restore the environment''s own files (its directory, flag file and overrides) as at REV')
            [CompletionResult]::new('--approved-by', '--approved-by', [CompletionResultType]::ParameterName, 'Record an approval as an Approved-by trailer ("Name <email>"); repeatable')
            [CompletionResult]::new('--emergency', '--emergency', [CompletionResultType]::ParameterName, 'Write inside a freeze window or outside the allowed hours, recording why')
            [CompletionResult]::new('--reason', '--reason', [CompletionResultType]::ParameterName, 'Why the change is made, recorded as a Cfgctl-Reason trailer and shown by `log`')
            [CompletionResult]::new('-C', '-C ', [CompletionResultType]::ParameterName, 'Run as if started in DIR (the repository root is found from there)')
            [CompletionResult]::new('--format', '--format', [CompletionResultType]::ParameterName, 'Output format')
            [CompletionResult]::new('--color', '--color', [CompletionResultType]::ParameterName, 'When to colour human output (NO_COLOR is honoured with auto)')
            [CompletionResult]::new('--last-promotion', '--last-promotion', [CompletionResultType]::ParameterName, 'Revert the last promotion into the environment')
            [CompletionResult]::new('--execute', '--execute', [CompletionResultType]::ParameterName, 'Make the change and commit it (without it, only the plan is shown)')
            [CompletionResult]::new('-q', '-q', [CompletionResultType]::ParameterName, 'Print nothing but results, findings, blockers and errors (no status lines, notes, summaries or progress)')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'Print nothing but results, findings, blockers and errors (no status lines, notes, summaries or progress)')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('-V', '-V ', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('--version', '--version', [CompletionResultType]::ParameterName, 'Print version')
            break
        }
        'cfgctl;flags' {
            [CompletionResult]::new('-C', '-C ', [CompletionResultType]::ParameterName, 'Run as if started in DIR (the repository root is found from there)')
            [CompletionResult]::new('--format', '--format', [CompletionResultType]::ParameterName, 'Output format')
            [CompletionResult]::new('--color', '--color', [CompletionResultType]::ParameterName, 'When to colour human output (NO_COLOR is honoured with auto)')
            [CompletionResult]::new('-q', '-q', [CompletionResultType]::ParameterName, 'Print nothing but results, findings, blockers and errors (no status lines, notes, summaries or progress)')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'Print nothing but results, findings, blockers and errors (no status lines, notes, summaries or progress)')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('-V', '-V ', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('--version', '--version', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('validate', 'validate', [CompletionResultType]::ParameterValue, 'Check flag files against the flagd schemas and cfgctl''s flag rules')
            [CompletionResult]::new('eval', 'eval', [CompletionResultType]::ParameterValue, 'Evaluate a flag for a context, as flagd does')
            [CompletionResult]::new('explain', 'explain', [CompletionResultType]::ParameterValue, 'Show why a flag evaluates as it does: the rule that matched, the bucketing key and hash')
            [CompletionResult]::new('stage', 'stage', [CompletionResultType]::ParameterValue, 'Move a flag to a rollout stage: disabled, canary, beta, staged, full (dry run unless --execute)')
            [CompletionResult]::new('bench', 'bench', [CompletionResultType]::ParameterValue, 'Evaluate many (flag, context) pairs in one process and print the rate')
            [CompletionResult]::new('help', 'help', [CompletionResultType]::ParameterValue, 'Print this message or the help of the given subcommand(s)')
            break
        }
        'cfgctl;flags;validate' {
            [CompletionResult]::new('--env', '--env', [CompletionResultType]::ParameterName, 'Check only this environment''s flag file')
            [CompletionResult]::new('-C', '-C ', [CompletionResultType]::ParameterName, 'Run as if started in DIR (the repository root is found from there)')
            [CompletionResult]::new('--format', '--format', [CompletionResultType]::ParameterName, 'Output format')
            [CompletionResult]::new('--color', '--color', [CompletionResultType]::ParameterName, 'When to colour human output (NO_COLOR is honoured with auto)')
            [CompletionResult]::new('--deny-warnings', '--deny-warnings', [CompletionResultType]::ParameterName, 'Exit 1 on warnings (stale flags) too')
            [CompletionResult]::new('-q', '-q', [CompletionResultType]::ParameterName, 'Print nothing but results, findings, blockers and errors (no status lines, notes, summaries or progress)')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'Print nothing but results, findings, blockers and errors (no status lines, notes, summaries or progress)')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('-V', '-V ', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('--version', '--version', [CompletionResultType]::ParameterName, 'Print version')
            break
        }
        'cfgctl;flags;eval' {
            [CompletionResult]::new('--env', '--env', [CompletionResultType]::ParameterName, 'Environment whose flag file (flags/ENV.flags.json or .yaml) is used')
            [CompletionResult]::new('--context', '--context', [CompletionResultType]::ParameterName, 'A context attribute; VALUE is JSON if it parses as JSON, else a string; KEY may be dotted')
            [CompletionResult]::new('--context-file', '--context-file', [CompletionResultType]::ParameterName, 'A JSON or YAML file with the context object (--context values override it)')
            [CompletionResult]::new('--targeting-key', '--targeting-key', [CompletionResultType]::ParameterName, 'The targeting key (OpenFeature''s user id), `targetingKey` in the context')
            [CompletionResult]::new('--fractional', '--fractional', [CompletionResultType]::ParameterName, '`fractional` generation: v2 as the flagd daemon, or v3 (CBOR-encoded keys, not in flagd yet)')
            [CompletionResult]::new('-C', '-C ', [CompletionResultType]::ParameterName, 'Run as if started in DIR (the repository root is found from there)')
            [CompletionResult]::new('--format', '--format', [CompletionResultType]::ParameterName, 'Output format')
            [CompletionResult]::new('--color', '--color', [CompletionResultType]::ParameterName, 'When to colour human output (NO_COLOR is honoured with auto)')
            [CompletionResult]::new('--all', '--all', [CompletionResultType]::ParameterName, 'Evaluate every flag of the environment')
            [CompletionResult]::new('-q', '-q', [CompletionResultType]::ParameterName, 'Print nothing but results, findings, blockers and errors (no status lines, notes, summaries or progress)')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'Print nothing but results, findings, blockers and errors (no status lines, notes, summaries or progress)')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('-V', '-V ', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('--version', '--version', [CompletionResultType]::ParameterName, 'Print version')
            break
        }
        'cfgctl;flags;explain' {
            [CompletionResult]::new('--env', '--env', [CompletionResultType]::ParameterName, 'Environment whose flag file (flags/ENV.flags.json or .yaml) is used')
            [CompletionResult]::new('--context', '--context', [CompletionResultType]::ParameterName, 'A context attribute; VALUE is JSON if it parses as JSON, else a string; KEY may be dotted')
            [CompletionResult]::new('--context-file', '--context-file', [CompletionResultType]::ParameterName, 'A JSON or YAML file with the context object (--context values override it)')
            [CompletionResult]::new('--targeting-key', '--targeting-key', [CompletionResultType]::ParameterName, 'The targeting key (OpenFeature''s user id), `targetingKey` in the context')
            [CompletionResult]::new('--fractional', '--fractional', [CompletionResultType]::ParameterName, '`fractional` generation: v2 as the flagd daemon, or v3 (CBOR-encoded keys, not in flagd yet)')
            [CompletionResult]::new('-C', '-C ', [CompletionResultType]::ParameterName, 'Run as if started in DIR (the repository root is found from there)')
            [CompletionResult]::new('--format', '--format', [CompletionResultType]::ParameterName, 'Output format')
            [CompletionResult]::new('--color', '--color', [CompletionResultType]::ParameterName, 'When to colour human output (NO_COLOR is honoured with auto)')
            [CompletionResult]::new('-q', '-q', [CompletionResultType]::ParameterName, 'Print nothing but results, findings, blockers and errors (no status lines, notes, summaries or progress)')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'Print nothing but results, findings, blockers and errors (no status lines, notes, summaries or progress)')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('-V', '-V ', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('--version', '--version', [CompletionResultType]::ParameterName, 'Print version')
            break
        }
        'cfgctl;flags;stage' {
            [CompletionResult]::new('--env', '--env', [CompletionResultType]::ParameterName, 'Environment whose flag file is changed')
            [CompletionResult]::new('--percent', '--percent', [CompletionResultType]::ParameterName, 'Rollout percentage for canary, beta and staged (default 5, 25, 50; steps of 0.01)')
            [CompletionResult]::new('--approved-by', '--approved-by', [CompletionResultType]::ParameterName, 'Record an approval as an Approved-by trailer ("Name <email>"); repeatable')
            [CompletionResult]::new('--emergency', '--emergency', [CompletionResultType]::ParameterName, 'Write inside a freeze window or outside the allowed hours, recording why')
            [CompletionResult]::new('--reason', '--reason', [CompletionResultType]::ParameterName, 'Why the change is made, recorded as a Cfgctl-Reason trailer and shown by `log`')
            [CompletionResult]::new('-C', '-C ', [CompletionResultType]::ParameterName, 'Run as if started in DIR (the repository root is found from there)')
            [CompletionResult]::new('--format', '--format', [CompletionResultType]::ParameterName, 'Output format')
            [CompletionResult]::new('--color', '--color', [CompletionResultType]::ParameterName, 'When to colour human output (NO_COLOR is honoured with auto)')
            [CompletionResult]::new('--next', '--next', [CompletionResultType]::ParameterName, 'Advance one step of the [flags.rollout] schedule (refused inside min_step_interval or after an unhealthy guard verdict)')
            [CompletionResult]::new('--back', '--back', [CompletionResultType]::ParameterName, 'Go one step back along the [flags.rollout] schedule (to disabled before the first)')
            [CompletionResult]::new('--execute', '--execute', [CompletionResultType]::ParameterName, 'Make the change and commit it (without it, only the plan is shown)')
            [CompletionResult]::new('--force', '--force', [CompletionResultType]::ParameterName, 'Include uncommitted changes of the flag file in the commit instead of refusing')
            [CompletionResult]::new('-q', '-q', [CompletionResultType]::ParameterName, 'Print nothing but results, findings, blockers and errors (no status lines, notes, summaries or progress)')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'Print nothing but results, findings, blockers and errors (no status lines, notes, summaries or progress)')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('-V', '-V ', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('--version', '--version', [CompletionResultType]::ParameterName, 'Print version')
            break
        }
        'cfgctl;flags;bench' {
            [CompletionResult]::new('--count', '--count', [CompletionResultType]::ParameterName, 'Number of evaluations')
            [CompletionResult]::new('--env', '--env', [CompletionResultType]::ParameterName, 'Environment whose flag file (flags/ENV.flags.json or .yaml) is used')
            [CompletionResult]::new('--context', '--context', [CompletionResultType]::ParameterName, 'A context attribute; VALUE is JSON if it parses as JSON, else a string; KEY may be dotted')
            [CompletionResult]::new('--context-file', '--context-file', [CompletionResultType]::ParameterName, 'A JSON or YAML file with the context object (--context values override it)')
            [CompletionResult]::new('--targeting-key', '--targeting-key', [CompletionResultType]::ParameterName, 'The targeting key (OpenFeature''s user id), `targetingKey` in the context')
            [CompletionResult]::new('--fractional', '--fractional', [CompletionResultType]::ParameterName, '`fractional` generation: v2 as the flagd daemon, or v3 (CBOR-encoded keys, not in flagd yet)')
            [CompletionResult]::new('-C', '-C ', [CompletionResultType]::ParameterName, 'Run as if started in DIR (the repository root is found from there)')
            [CompletionResult]::new('--format', '--format', [CompletionResultType]::ParameterName, 'Output format')
            [CompletionResult]::new('--color', '--color', [CompletionResultType]::ParameterName, 'When to colour human output (NO_COLOR is honoured with auto)')
            [CompletionResult]::new('-q', '-q', [CompletionResultType]::ParameterName, 'Print nothing but results, findings, blockers and errors (no status lines, notes, summaries or progress)')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'Print nothing but results, findings, blockers and errors (no status lines, notes, summaries or progress)')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('-V', '-V ', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('--version', '--version', [CompletionResultType]::ParameterName, 'Print version')
            break
        }
        'cfgctl;flags;help' {
            [CompletionResult]::new('validate', 'validate', [CompletionResultType]::ParameterValue, 'Check flag files against the flagd schemas and cfgctl''s flag rules')
            [CompletionResult]::new('eval', 'eval', [CompletionResultType]::ParameterValue, 'Evaluate a flag for a context, as flagd does')
            [CompletionResult]::new('explain', 'explain', [CompletionResultType]::ParameterValue, 'Show why a flag evaluates as it does: the rule that matched, the bucketing key and hash')
            [CompletionResult]::new('stage', 'stage', [CompletionResultType]::ParameterValue, 'Move a flag to a rollout stage: disabled, canary, beta, staged, full (dry run unless --execute)')
            [CompletionResult]::new('bench', 'bench', [CompletionResultType]::ParameterValue, 'Evaluate many (flag, context) pairs in one process and print the rate')
            [CompletionResult]::new('help', 'help', [CompletionResultType]::ParameterValue, 'Print this message or the help of the given subcommand(s)')
            break
        }
        'cfgctl;flags;help;validate' {
            break
        }
        'cfgctl;flags;help;eval' {
            break
        }
        'cfgctl;flags;help;explain' {
            break
        }
        'cfgctl;flags;help;stage' {
            break
        }
        'cfgctl;flags;help;bench' {
            break
        }
        'cfgctl;flags;help;help' {
            break
        }
        'cfgctl;guard' {
            [CompletionResult]::new('--metrics', '--metrics', [CompletionResultType]::ParameterName, 'Health readings: a JSON or YAML object of numbers (one reading), an array of them, or JSON Lines (.jsonl, or - for stdin), e.g. {"time": "2026-06-01T10:00:00Z", "error_rate": 0.02, "requests": 1200}; repeatable')
            [CompletionResult]::new('--approved-by', '--approved-by', [CompletionResultType]::ParameterName, 'Record an approval as an Approved-by trailer ("Name <email>"); repeatable')
            [CompletionResult]::new('--emergency', '--emergency', [CompletionResultType]::ParameterName, 'Write inside a freeze window or outside the allowed hours, recording why')
            [CompletionResult]::new('--reason', '--reason', [CompletionResultType]::ParameterName, 'Why the change is made, recorded as a Cfgctl-Reason trailer and shown by `log`')
            [CompletionResult]::new('-C', '-C ', [CompletionResultType]::ParameterName, 'Run as if started in DIR (the repository root is found from there)')
            [CompletionResult]::new('--format', '--format', [CompletionResultType]::ParameterName, 'Output format')
            [CompletionResult]::new('--color', '--color', [CompletionResultType]::ParameterName, 'When to colour human output (NO_COLOR is honoured with auto)')
            [CompletionResult]::new('--execute', '--execute', [CompletionResultType]::ParameterName, 'Make the change and commit it (without it, only the plan is shown)')
            [CompletionResult]::new('-q', '-q', [CompletionResultType]::ParameterName, 'Print nothing but results, findings, blockers and errors (no status lines, notes, summaries or progress)')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'Print nothing but results, findings, blockers and errors (no status lines, notes, summaries or progress)')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('-V', '-V ', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('--version', '--version', [CompletionResultType]::ParameterName, 'Print version')
            break
        }
        'cfgctl;secrets' {
            [CompletionResult]::new('-C', '-C ', [CompletionResultType]::ParameterName, 'Run as if started in DIR (the repository root is found from there)')
            [CompletionResult]::new('--format', '--format', [CompletionResultType]::ParameterName, 'Output format')
            [CompletionResult]::new('--color', '--color', [CompletionResultType]::ParameterName, 'When to colour human output (NO_COLOR is honoured with auto)')
            [CompletionResult]::new('-q', '-q', [CompletionResultType]::ParameterName, 'Print nothing but results, findings, blockers and errors (no status lines, notes, summaries or progress)')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'Print nothing but results, findings, blockers and errors (no status lines, notes, summaries or progress)')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('-V', '-V ', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('--version', '--version', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('keygen', 'keygen', [CompletionResultType]::ParameterValue, 'Create an age identity where sops looks for it and print its public recipient')
            [CompletionResult]::new('encrypt', 'encrypt', [CompletionResultType]::ParameterValue, 'Encrypt a YAML, JSON or dotenv file for the recipients its .sops.yaml rule names')
            [CompletionResult]::new('decrypt', 'decrypt', [CompletionResultType]::ParameterValue, 'Decrypt a file (to stdout unless --in-place or --output)')
            [CompletionResult]::new('edit', 'edit', [CompletionResultType]::ParameterValue, 'Decrypt to a private temporary file, open $EDITOR, validate, re-encrypt')
            [CompletionResult]::new('set', 'set', [CompletionResultType]::ParameterValue, 'Set one value (encrypted if the file''s rule says so)')
            [CompletionResult]::new('unset', 'unset', [CompletionResultType]::ParameterValue, 'Remove one value')
            [CompletionResult]::new('get', 'get', [CompletionResultType]::ParameterValue, 'Print one decrypted value')
            [CompletionResult]::new('updatekeys', 'updatekeys', [CompletionResultType]::ParameterValue, 'Re-wrap data keys for the recipients .sops.yaml names now')
            [CompletionResult]::new('rotate', 'rotate', [CompletionResultType]::ParameterValue, 'Give files a new data key and re-encrypt every value')
            [CompletionResult]::new('list', 'list', [CompletionResultType]::ParameterValue, 'List the encrypted files: recipients, values, age (no key needed)')
            [CompletionResult]::new('check', 'check', [CompletionResultType]::ParameterValue, 'Check that what must be encrypted is, and that MACs verify (for pre-commit and CI)')
            [CompletionResult]::new('exec', 'exec', [CompletionResultType]::ParameterValue, 'Run a command with a file''s values as environment variables')
            [CompletionResult]::new('git-setup', 'git-setup', [CompletionResultType]::ParameterValue, 'Make Git merge encrypted files by key path and show them decrypted in `git diff`')
            [CompletionResult]::new('merge-driver', 'merge-driver', [CompletionResultType]::ParameterValue, 'Merge an encrypted file three-way by key path (Git''s merge driver; see git-setup)')
            [CompletionResult]::new('textconv', 'textconv', [CompletionResultType]::ParameterValue, 'Print an encrypted file decrypted, or masked without a key (Git''s textconv; see git-setup)')
            [CompletionResult]::new('help', 'help', [CompletionResultType]::ParameterValue, 'Print this message or the help of the given subcommand(s)')
            break
        }
        'cfgctl;secrets;keygen' {
            [CompletionResult]::new('-o', '-o', [CompletionResultType]::ParameterName, 'Where to write the identity (default: $XDG_CONFIG_HOME/sops/age/keys.txt)')
            [CompletionResult]::new('--output', '--output', [CompletionResultType]::ParameterName, 'Where to write the identity (default: $XDG_CONFIG_HOME/sops/age/keys.txt)')
            [CompletionResult]::new('-C', '-C ', [CompletionResultType]::ParameterName, 'Run as if started in DIR (the repository root is found from there)')
            [CompletionResult]::new('--format', '--format', [CompletionResultType]::ParameterName, 'Output format')
            [CompletionResult]::new('--color', '--color', [CompletionResultType]::ParameterName, 'When to colour human output (NO_COLOR is honoured with auto)')
            [CompletionResult]::new('-q', '-q', [CompletionResultType]::ParameterName, 'Print nothing but results, findings, blockers and errors (no status lines, notes, summaries or progress)')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'Print nothing but results, findings, blockers and errors (no status lines, notes, summaries or progress)')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('-V', '-V ', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('--version', '--version', [CompletionResultType]::ParameterName, 'Print version')
            break
        }
        'cfgctl;secrets;encrypt' {
            [CompletionResult]::new('-o', '-o', [CompletionResultType]::ParameterName, 'Write the encrypted file here (its path picks the .sops.yaml rule)')
            [CompletionResult]::new('--output', '--output', [CompletionResultType]::ParameterName, 'Write the encrypted file here (its path picks the .sops.yaml rule)')
            [CompletionResult]::new('--age', '--age', [CompletionResultType]::ParameterName, 'Encrypt for these recipients instead of the .sops.yaml rule''s (repeatable)')
            [CompletionResult]::new('--config', '--config', [CompletionResultType]::ParameterName, 'The .sops.yaml to take creation rules from (default: SOPS_CONFIG, else the nearest .sops.yaml in the current directory or its parents)')
            [CompletionResult]::new('-C', '-C ', [CompletionResultType]::ParameterName, 'Run as if started in DIR (the repository root is found from there)')
            [CompletionResult]::new('--format', '--format', [CompletionResultType]::ParameterName, 'Output format')
            [CompletionResult]::new('--color', '--color', [CompletionResultType]::ParameterName, 'When to colour human output (NO_COLOR is honoured with auto)')
            [CompletionResult]::new('-i', '-i', [CompletionResultType]::ParameterName, 'Replace each FILE with its encrypted version')
            [CompletionResult]::new('--in-place', '--in-place', [CompletionResultType]::ParameterName, 'Replace each FILE with its encrypted version')
            [CompletionResult]::new('-q', '-q', [CompletionResultType]::ParameterName, 'Print nothing but results, findings, blockers and errors (no status lines, notes, summaries or progress)')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'Print nothing but results, findings, blockers and errors (no status lines, notes, summaries or progress)')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('-V', '-V ', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('--version', '--version', [CompletionResultType]::ParameterName, 'Print version')
            break
        }
        'cfgctl;secrets;decrypt' {
            [CompletionResult]::new('-o', '-o', [CompletionResultType]::ParameterName, 'Write the plaintext here')
            [CompletionResult]::new('--output', '--output', [CompletionResultType]::ParameterName, 'Write the plaintext here')
            [CompletionResult]::new('--identity', '--identity', [CompletionResultType]::ParameterName, 'An age identity file to decrypt with (repeatable); tried before SOPS_AGE_KEY, SOPS_AGE_KEY_FILE, the default keys.txt and ~/.ssh keys')
            [CompletionResult]::new('-C', '-C ', [CompletionResultType]::ParameterName, 'Run as if started in DIR (the repository root is found from there)')
            [CompletionResult]::new('--format', '--format', [CompletionResultType]::ParameterName, 'Output format')
            [CompletionResult]::new('--color', '--color', [CompletionResultType]::ParameterName, 'When to colour human output (NO_COLOR is honoured with auto)')
            [CompletionResult]::new('-i', '-i', [CompletionResultType]::ParameterName, 'Replace FILE with the decrypted version')
            [CompletionResult]::new('--in-place', '--in-place', [CompletionResultType]::ParameterName, 'Replace FILE with the decrypted version')
            [CompletionResult]::new('--force', '--force', [CompletionResultType]::ParameterName, 'Write plaintext even into a file Git tracks')
            [CompletionResult]::new('-q', '-q', [CompletionResultType]::ParameterName, 'Print nothing but results, findings, blockers and errors (no status lines, notes, summaries or progress)')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'Print nothing but results, findings, blockers and errors (no status lines, notes, summaries or progress)')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('-V', '-V ', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('--version', '--version', [CompletionResultType]::ParameterName, 'Print version')
            break
        }
        'cfgctl;secrets;edit' {
            [CompletionResult]::new('--identity', '--identity', [CompletionResultType]::ParameterName, 'An age identity file to decrypt with (repeatable); tried before SOPS_AGE_KEY, SOPS_AGE_KEY_FILE, the default keys.txt and ~/.ssh keys')
            [CompletionResult]::new('--config', '--config', [CompletionResultType]::ParameterName, 'The .sops.yaml to take creation rules from (default: SOPS_CONFIG, else the nearest .sops.yaml in the current directory or its parents)')
            [CompletionResult]::new('-C', '-C ', [CompletionResultType]::ParameterName, 'Run as if started in DIR (the repository root is found from there)')
            [CompletionResult]::new('--format', '--format', [CompletionResultType]::ParameterName, 'Output format')
            [CompletionResult]::new('--color', '--color', [CompletionResultType]::ParameterName, 'When to colour human output (NO_COLOR is honoured with auto)')
            [CompletionResult]::new('-q', '-q', [CompletionResultType]::ParameterName, 'Print nothing but results, findings, blockers and errors (no status lines, notes, summaries or progress)')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'Print nothing but results, findings, blockers and errors (no status lines, notes, summaries or progress)')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('-V', '-V ', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('--version', '--version', [CompletionResultType]::ParameterName, 'Print version')
            break
        }
        'cfgctl;secrets;set' {
            [CompletionResult]::new('--identity', '--identity', [CompletionResultType]::ParameterName, 'An age identity file to decrypt with (repeatable); tried before SOPS_AGE_KEY, SOPS_AGE_KEY_FILE, the default keys.txt and ~/.ssh keys')
            [CompletionResult]::new('-m', '-m', [CompletionResultType]::ParameterName, 'The commit subject (with --commit)')
            [CompletionResult]::new('--message', '--message', [CompletionResultType]::ParameterName, 'The commit subject (with --commit)')
            [CompletionResult]::new('--approved-by', '--approved-by', [CompletionResultType]::ParameterName, 'Record an approval as an Approved-by trailer ("Name <email>"); repeatable')
            [CompletionResult]::new('--emergency', '--emergency', [CompletionResultType]::ParameterName, 'Write inside a freeze window or outside the allowed hours, recording why')
            [CompletionResult]::new('--reason', '--reason', [CompletionResultType]::ParameterName, 'Why the change is made, recorded as a Cfgctl-Reason trailer and shown by `log`')
            [CompletionResult]::new('-C', '-C ', [CompletionResultType]::ParameterName, 'Run as if started in DIR (the repository root is found from there)')
            [CompletionResult]::new('--format', '--format', [CompletionResultType]::ParameterName, 'Output format')
            [CompletionResult]::new('--color', '--color', [CompletionResultType]::ParameterName, 'When to colour human output (NO_COLOR is honoured with auto)')
            [CompletionResult]::new('--stdin', '--stdin', [CompletionResultType]::ParameterName, 'Read the value from standard input (keeps it out of shell history)')
            [CompletionResult]::new('--json', '--json', [CompletionResultType]::ParameterName, 'Parse the value as JSON (numbers, booleans, lists, objects)')
            [CompletionResult]::new('--commit', '--commit', [CompletionResultType]::ParameterName, 'Commit the change through the write pipeline and policy, instead of editing the working tree file')
            [CompletionResult]::new('--execute', '--execute', [CompletionResultType]::ParameterName, 'Make the change and commit it (without it, only the plan is shown)')
            [CompletionResult]::new('-q', '-q', [CompletionResultType]::ParameterName, 'Print nothing but results, findings, blockers and errors (no status lines, notes, summaries or progress)')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'Print nothing but results, findings, blockers and errors (no status lines, notes, summaries or progress)')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('-V', '-V ', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('--version', '--version', [CompletionResultType]::ParameterName, 'Print version')
            break
        }
        'cfgctl;secrets;unset' {
            [CompletionResult]::new('--identity', '--identity', [CompletionResultType]::ParameterName, 'An age identity file to decrypt with (repeatable); tried before SOPS_AGE_KEY, SOPS_AGE_KEY_FILE, the default keys.txt and ~/.ssh keys')
            [CompletionResult]::new('-m', '-m', [CompletionResultType]::ParameterName, 'The commit subject (with --commit)')
            [CompletionResult]::new('--message', '--message', [CompletionResultType]::ParameterName, 'The commit subject (with --commit)')
            [CompletionResult]::new('--approved-by', '--approved-by', [CompletionResultType]::ParameterName, 'Record an approval as an Approved-by trailer ("Name <email>"); repeatable')
            [CompletionResult]::new('--emergency', '--emergency', [CompletionResultType]::ParameterName, 'Write inside a freeze window or outside the allowed hours, recording why')
            [CompletionResult]::new('--reason', '--reason', [CompletionResultType]::ParameterName, 'Why the change is made, recorded as a Cfgctl-Reason trailer and shown by `log`')
            [CompletionResult]::new('-C', '-C ', [CompletionResultType]::ParameterName, 'Run as if started in DIR (the repository root is found from there)')
            [CompletionResult]::new('--format', '--format', [CompletionResultType]::ParameterName, 'Output format')
            [CompletionResult]::new('--color', '--color', [CompletionResultType]::ParameterName, 'When to colour human output (NO_COLOR is honoured with auto)')
            [CompletionResult]::new('--commit', '--commit', [CompletionResultType]::ParameterName, 'Commit the change through the write pipeline and policy, instead of editing the working tree file')
            [CompletionResult]::new('--execute', '--execute', [CompletionResultType]::ParameterName, 'Make the change and commit it (without it, only the plan is shown)')
            [CompletionResult]::new('-q', '-q', [CompletionResultType]::ParameterName, 'Print nothing but results, findings, blockers and errors (no status lines, notes, summaries or progress)')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'Print nothing but results, findings, blockers and errors (no status lines, notes, summaries or progress)')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('-V', '-V ', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('--version', '--version', [CompletionResultType]::ParameterName, 'Print version')
            break
        }
        'cfgctl;secrets;get' {
            [CompletionResult]::new('--identity', '--identity', [CompletionResultType]::ParameterName, 'An age identity file to decrypt with (repeatable); tried before SOPS_AGE_KEY, SOPS_AGE_KEY_FILE, the default keys.txt and ~/.ssh keys')
            [CompletionResult]::new('-C', '-C ', [CompletionResultType]::ParameterName, 'Run as if started in DIR (the repository root is found from there)')
            [CompletionResult]::new('--format', '--format', [CompletionResultType]::ParameterName, 'Output format')
            [CompletionResult]::new('--color', '--color', [CompletionResultType]::ParameterName, 'When to colour human output (NO_COLOR is honoured with auto)')
            [CompletionResult]::new('-q', '-q', [CompletionResultType]::ParameterName, 'Print nothing but results, findings, blockers and errors (no status lines, notes, summaries or progress)')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'Print nothing but results, findings, blockers and errors (no status lines, notes, summaries or progress)')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('-V', '-V ', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('--version', '--version', [CompletionResultType]::ParameterName, 'Print version')
            break
        }
        'cfgctl;secrets;updatekeys' {
            [CompletionResult]::new('--identity', '--identity', [CompletionResultType]::ParameterName, 'An age identity file to decrypt with (repeatable); tried before SOPS_AGE_KEY, SOPS_AGE_KEY_FILE, the default keys.txt and ~/.ssh keys')
            [CompletionResult]::new('--config', '--config', [CompletionResultType]::ParameterName, 'The .sops.yaml to take creation rules from (default: SOPS_CONFIG, else the nearest .sops.yaml in the current directory or its parents)')
            [CompletionResult]::new('-C', '-C ', [CompletionResultType]::ParameterName, 'Run as if started in DIR (the repository root is found from there)')
            [CompletionResult]::new('--format', '--format', [CompletionResultType]::ParameterName, 'Output format')
            [CompletionResult]::new('--color', '--color', [CompletionResultType]::ParameterName, 'When to colour human output (NO_COLOR is honoured with auto)')
            [CompletionResult]::new('--dry-run', '--dry-run', [CompletionResultType]::ParameterName, 'Show what would change without writing')
            [CompletionResult]::new('-q', '-q', [CompletionResultType]::ParameterName, 'Print nothing but results, findings, blockers and errors (no status lines, notes, summaries or progress)')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'Print nothing but results, findings, blockers and errors (no status lines, notes, summaries or progress)')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('-V', '-V ', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('--version', '--version', [CompletionResultType]::ParameterName, 'Print version')
            break
        }
        'cfgctl;secrets;rotate' {
            [CompletionResult]::new('--identity', '--identity', [CompletionResultType]::ParameterName, 'An age identity file to decrypt with (repeatable); tried before SOPS_AGE_KEY, SOPS_AGE_KEY_FILE, the default keys.txt and ~/.ssh keys')
            [CompletionResult]::new('--config', '--config', [CompletionResultType]::ParameterName, 'The .sops.yaml to take creation rules from (default: SOPS_CONFIG, else the nearest .sops.yaml in the current directory or its parents)')
            [CompletionResult]::new('-C', '-C ', [CompletionResultType]::ParameterName, 'Run as if started in DIR (the repository root is found from there)')
            [CompletionResult]::new('--format', '--format', [CompletionResultType]::ParameterName, 'Output format')
            [CompletionResult]::new('--color', '--color', [CompletionResultType]::ParameterName, 'When to colour human output (NO_COLOR is honoured with auto)')
            [CompletionResult]::new('--dry-run', '--dry-run', [CompletionResultType]::ParameterName, 'Show what would change without writing')
            [CompletionResult]::new('-q', '-q', [CompletionResultType]::ParameterName, 'Print nothing but results, findings, blockers and errors (no status lines, notes, summaries or progress)')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'Print nothing but results, findings, blockers and errors (no status lines, notes, summaries or progress)')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('-V', '-V ', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('--version', '--version', [CompletionResultType]::ParameterName, 'Print version')
            break
        }
        'cfgctl;secrets;list' {
            [CompletionResult]::new('-C', '-C ', [CompletionResultType]::ParameterName, 'Run as if started in DIR (the repository root is found from there)')
            [CompletionResult]::new('--format', '--format', [CompletionResultType]::ParameterName, 'Output format')
            [CompletionResult]::new('--color', '--color', [CompletionResultType]::ParameterName, 'When to colour human output (NO_COLOR is honoured with auto)')
            [CompletionResult]::new('-q', '-q', [CompletionResultType]::ParameterName, 'Print nothing but results, findings, blockers and errors (no status lines, notes, summaries or progress)')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'Print nothing but results, findings, blockers and errors (no status lines, notes, summaries or progress)')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('-V', '-V ', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('--version', '--version', [CompletionResultType]::ParameterName, 'Print version')
            break
        }
        'cfgctl;secrets;check' {
            [CompletionResult]::new('--max-age', '--max-age', [CompletionResultType]::ParameterName, 'Report encrypted files whose values were last written longer ago than this (`lastmodified`; a number and h, d, w or y: 90d, 12w, 1y)')
            [CompletionResult]::new('--identity', '--identity', [CompletionResultType]::ParameterName, 'An age identity file to decrypt with (repeatable); tried before SOPS_AGE_KEY, SOPS_AGE_KEY_FILE, the default keys.txt and ~/.ssh keys')
            [CompletionResult]::new('--config', '--config', [CompletionResultType]::ParameterName, 'The .sops.yaml to take creation rules from (default: SOPS_CONFIG, else the nearest .sops.yaml in the current directory or its parents)')
            [CompletionResult]::new('-C', '-C ', [CompletionResultType]::ParameterName, 'Run as if started in DIR (the repository root is found from there)')
            [CompletionResult]::new('--format', '--format', [CompletionResultType]::ParameterName, 'Output format')
            [CompletionResult]::new('--color', '--color', [CompletionResultType]::ParameterName, 'When to colour human output (NO_COLOR is honoured with auto)')
            [CompletionResult]::new('-q', '-q', [CompletionResultType]::ParameterName, 'Print nothing but results, findings, blockers and errors (no status lines, notes, summaries or progress)')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'Print nothing but results, findings, blockers and errors (no status lines, notes, summaries or progress)')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('-V', '-V ', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('--version', '--version', [CompletionResultType]::ParameterName, 'Print version')
            break
        }
        'cfgctl;secrets;exec' {
            [CompletionResult]::new('--identity', '--identity', [CompletionResultType]::ParameterName, 'An age identity file to decrypt with (repeatable); tried before SOPS_AGE_KEY, SOPS_AGE_KEY_FILE, the default keys.txt and ~/.ssh keys')
            [CompletionResult]::new('-C', '-C ', [CompletionResultType]::ParameterName, 'Run as if started in DIR (the repository root is found from there)')
            [CompletionResult]::new('--format', '--format', [CompletionResultType]::ParameterName, 'Output format')
            [CompletionResult]::new('--color', '--color', [CompletionResultType]::ParameterName, 'When to colour human output (NO_COLOR is honoured with auto)')
            [CompletionResult]::new('-q', '-q', [CompletionResultType]::ParameterName, 'Print nothing but results, findings, blockers and errors (no status lines, notes, summaries or progress)')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'Print nothing but results, findings, blockers and errors (no status lines, notes, summaries or progress)')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('-V', '-V ', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('--version', '--version', [CompletionResultType]::ParameterName, 'Print version')
            break
        }
        'cfgctl;secrets;git-setup' {
            [CompletionResult]::new('-C', '-C ', [CompletionResultType]::ParameterName, 'Run as if started in DIR (the repository root is found from there)')
            [CompletionResult]::new('--format', '--format', [CompletionResultType]::ParameterName, 'Output format')
            [CompletionResult]::new('--color', '--color', [CompletionResultType]::ParameterName, 'When to colour human output (NO_COLOR is honoured with auto)')
            [CompletionResult]::new('--dry-run', '--dry-run', [CompletionResultType]::ParameterName, 'Show what would be written without writing it')
            [CompletionResult]::new('-q', '-q', [CompletionResultType]::ParameterName, 'Print nothing but results, findings, blockers and errors (no status lines, notes, summaries or progress)')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'Print nothing but results, findings, blockers and errors (no status lines, notes, summaries or progress)')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('-V', '-V ', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('--version', '--version', [CompletionResultType]::ParameterName, 'Print version')
            break
        }
        'cfgctl;secrets;merge-driver' {
            [CompletionResult]::new('--identity', '--identity', [CompletionResultType]::ParameterName, 'An age identity file to decrypt with (repeatable); tried before SOPS_AGE_KEY, SOPS_AGE_KEY_FILE, the default keys.txt and ~/.ssh keys')
            [CompletionResult]::new('-C', '-C ', [CompletionResultType]::ParameterName, 'Run as if started in DIR (the repository root is found from there)')
            [CompletionResult]::new('--format', '--format', [CompletionResultType]::ParameterName, 'Output format')
            [CompletionResult]::new('--color', '--color', [CompletionResultType]::ParameterName, 'When to colour human output (NO_COLOR is honoured with auto)')
            [CompletionResult]::new('-q', '-q', [CompletionResultType]::ParameterName, 'Print nothing but results, findings, blockers and errors (no status lines, notes, summaries or progress)')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'Print nothing but results, findings, blockers and errors (no status lines, notes, summaries or progress)')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('-V', '-V ', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('--version', '--version', [CompletionResultType]::ParameterName, 'Print version')
            break
        }
        'cfgctl;secrets;textconv' {
            [CompletionResult]::new('--identity', '--identity', [CompletionResultType]::ParameterName, 'An age identity file to decrypt with (repeatable); tried before SOPS_AGE_KEY, SOPS_AGE_KEY_FILE, the default keys.txt and ~/.ssh keys')
            [CompletionResult]::new('-C', '-C ', [CompletionResultType]::ParameterName, 'Run as if started in DIR (the repository root is found from there)')
            [CompletionResult]::new('--format', '--format', [CompletionResultType]::ParameterName, 'Output format')
            [CompletionResult]::new('--color', '--color', [CompletionResultType]::ParameterName, 'When to colour human output (NO_COLOR is honoured with auto)')
            [CompletionResult]::new('-q', '-q', [CompletionResultType]::ParameterName, 'Print nothing but results, findings, blockers and errors (no status lines, notes, summaries or progress)')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'Print nothing but results, findings, blockers and errors (no status lines, notes, summaries or progress)')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('-V', '-V ', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('--version', '--version', [CompletionResultType]::ParameterName, 'Print version')
            break
        }
        'cfgctl;secrets;help' {
            [CompletionResult]::new('keygen', 'keygen', [CompletionResultType]::ParameterValue, 'Create an age identity where sops looks for it and print its public recipient')
            [CompletionResult]::new('encrypt', 'encrypt', [CompletionResultType]::ParameterValue, 'Encrypt a YAML, JSON or dotenv file for the recipients its .sops.yaml rule names')
            [CompletionResult]::new('decrypt', 'decrypt', [CompletionResultType]::ParameterValue, 'Decrypt a file (to stdout unless --in-place or --output)')
            [CompletionResult]::new('edit', 'edit', [CompletionResultType]::ParameterValue, 'Decrypt to a private temporary file, open $EDITOR, validate, re-encrypt')
            [CompletionResult]::new('set', 'set', [CompletionResultType]::ParameterValue, 'Set one value (encrypted if the file''s rule says so)')
            [CompletionResult]::new('unset', 'unset', [CompletionResultType]::ParameterValue, 'Remove one value')
            [CompletionResult]::new('get', 'get', [CompletionResultType]::ParameterValue, 'Print one decrypted value')
            [CompletionResult]::new('updatekeys', 'updatekeys', [CompletionResultType]::ParameterValue, 'Re-wrap data keys for the recipients .sops.yaml names now')
            [CompletionResult]::new('rotate', 'rotate', [CompletionResultType]::ParameterValue, 'Give files a new data key and re-encrypt every value')
            [CompletionResult]::new('list', 'list', [CompletionResultType]::ParameterValue, 'List the encrypted files: recipients, values, age (no key needed)')
            [CompletionResult]::new('check', 'check', [CompletionResultType]::ParameterValue, 'Check that what must be encrypted is, and that MACs verify (for pre-commit and CI)')
            [CompletionResult]::new('exec', 'exec', [CompletionResultType]::ParameterValue, 'Run a command with a file''s values as environment variables')
            [CompletionResult]::new('git-setup', 'git-setup', [CompletionResultType]::ParameterValue, 'Make Git merge encrypted files by key path and show them decrypted in `git diff`')
            [CompletionResult]::new('merge-driver', 'merge-driver', [CompletionResultType]::ParameterValue, 'Merge an encrypted file three-way by key path (Git''s merge driver; see git-setup)')
            [CompletionResult]::new('textconv', 'textconv', [CompletionResultType]::ParameterValue, 'Print an encrypted file decrypted, or masked without a key (Git''s textconv; see git-setup)')
            [CompletionResult]::new('help', 'help', [CompletionResultType]::ParameterValue, 'Print this message or the help of the given subcommand(s)')
            break
        }
        'cfgctl;secrets;help;keygen' {
            break
        }
        'cfgctl;secrets;help;encrypt' {
            break
        }
        'cfgctl;secrets;help;decrypt' {
            break
        }
        'cfgctl;secrets;help;edit' {
            break
        }
        'cfgctl;secrets;help;set' {
            break
        }
        'cfgctl;secrets;help;unset' {
            break
        }
        'cfgctl;secrets;help;get' {
            break
        }
        'cfgctl;secrets;help;updatekeys' {
            break
        }
        'cfgctl;secrets;help;rotate' {
            break
        }
        'cfgctl;secrets;help;list' {
            break
        }
        'cfgctl;secrets;help;check' {
            break
        }
        'cfgctl;secrets;help;exec' {
            break
        }
        'cfgctl;secrets;help;git-setup' {
            break
        }
        'cfgctl;secrets;help;merge-driver' {
            break
        }
        'cfgctl;secrets;help;textconv' {
            break
        }
        'cfgctl;secrets;help;help' {
            break
        }
        'cfgctl;packs' {
            [CompletionResult]::new('-C', '-C ', [CompletionResultType]::ParameterName, 'Run as if started in DIR (the repository root is found from there)')
            [CompletionResult]::new('--format', '--format', [CompletionResultType]::ParameterName, 'Output format')
            [CompletionResult]::new('--color', '--color', [CompletionResultType]::ParameterName, 'When to colour human output (NO_COLOR is honoured with auto)')
            [CompletionResult]::new('-q', '-q', [CompletionResultType]::ParameterName, 'Print nothing but results, findings, blockers and errors (no status lines, notes, summaries or progress)')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'Print nothing but results, findings, blockers and errors (no status lines, notes, summaries or progress)')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('-V', '-V ', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('--version', '--version', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('validate', 'validate', [CompletionResultType]::ParameterValue, 'Check packs: manifest, files, integrity, patterns, pack level (checks M1 … K6)')
            [CompletionResult]::new('release', 'release', [CompletionResultType]::ParameterValue, 'Write CHECKSUMS.sha256 and the digest, commit, and tag packs/PACK/vVERSION')
            [CompletionResult]::new('list', 'list', [CompletionResultType]::ParameterValue, 'List released versions from their tags, and where each is active')
            [CompletionResult]::new('verify', 'verify', [CompletionResultType]::ParameterValue, 'Recompute a release''s checksums and digest from its tag and compare')
            [CompletionResult]::new('activate', 'activate', [CompletionResultType]::ParameterValue, 'Make a released version the active one in an environment')
            [CompletionResult]::new('rollback', 'rollback', [CompletionResultType]::ParameterValue, 'Re-activate the version that was active before in an environment')
            [CompletionResult]::new('help', 'help', [CompletionResultType]::ParameterValue, 'Print this message or the help of the given subcommand(s)')
            break
        }
        'cfgctl;packs;validate' {
            [CompletionResult]::new('-C', '-C ', [CompletionResultType]::ParameterName, 'Run as if started in DIR (the repository root is found from there)')
            [CompletionResult]::new('--format', '--format', [CompletionResultType]::ParameterName, 'Output format')
            [CompletionResult]::new('--color', '--color', [CompletionResultType]::ParameterName, 'When to colour human output (NO_COLOR is honoured with auto)')
            [CompletionResult]::new('--deny-warnings', '--deny-warnings', [CompletionResultType]::ParameterName, 'Exit 1 on warnings too')
            [CompletionResult]::new('--no-cache', '--no-cache', [CompletionResultType]::ParameterName, 'Check every pack again instead of taking unchanged packs'' results from the cache in .git/cfgctl/cache (the results are the same either way)')
            [CompletionResult]::new('-q', '-q', [CompletionResultType]::ParameterName, 'Print nothing but results, findings, blockers and errors (no status lines, notes, summaries or progress)')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'Print nothing but results, findings, blockers and errors (no status lines, notes, summaries or progress)')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('-V', '-V ', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('--version', '--version', [CompletionResultType]::ParameterName, 'Print version')
            break
        }
        'cfgctl;packs;release' {
            [CompletionResult]::new('--approved-by', '--approved-by', [CompletionResultType]::ParameterName, 'Record an approval as an Approved-by trailer ("Name <email>"); repeatable')
            [CompletionResult]::new('--emergency', '--emergency', [CompletionResultType]::ParameterName, 'Write inside a freeze window or outside the allowed hours, recording why')
            [CompletionResult]::new('--reason', '--reason', [CompletionResultType]::ParameterName, 'Why the change is made, recorded as a Cfgctl-Reason trailer and shown by `log`')
            [CompletionResult]::new('-C', '-C ', [CompletionResultType]::ParameterName, 'Run as if started in DIR (the repository root is found from there)')
            [CompletionResult]::new('--format', '--format', [CompletionResultType]::ParameterName, 'Output format')
            [CompletionResult]::new('--color', '--color', [CompletionResultType]::ParameterName, 'When to colour human output (NO_COLOR is honoured with auto)')
            [CompletionResult]::new('--execute', '--execute', [CompletionResultType]::ParameterName, 'Make the change and commit it (without it, only the plan is shown)')
            [CompletionResult]::new('-q', '-q', [CompletionResultType]::ParameterName, 'Print nothing but results, findings, blockers and errors (no status lines, notes, summaries or progress)')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'Print nothing but results, findings, blockers and errors (no status lines, notes, summaries or progress)')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('-V', '-V ', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('--version', '--version', [CompletionResultType]::ParameterName, 'Print version')
            break
        }
        'cfgctl;packs;list' {
            [CompletionResult]::new('-C', '-C ', [CompletionResultType]::ParameterName, 'Run as if started in DIR (the repository root is found from there)')
            [CompletionResult]::new('--format', '--format', [CompletionResultType]::ParameterName, 'Output format')
            [CompletionResult]::new('--color', '--color', [CompletionResultType]::ParameterName, 'When to colour human output (NO_COLOR is honoured with auto)')
            [CompletionResult]::new('-q', '-q', [CompletionResultType]::ParameterName, 'Print nothing but results, findings, blockers and errors (no status lines, notes, summaries or progress)')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'Print nothing but results, findings, blockers and errors (no status lines, notes, summaries or progress)')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('-V', '-V ', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('--version', '--version', [CompletionResultType]::ParameterName, 'Print version')
            break
        }
        'cfgctl;packs;verify' {
            [CompletionResult]::new('-C', '-C ', [CompletionResultType]::ParameterName, 'Run as if started in DIR (the repository root is found from there)')
            [CompletionResult]::new('--format', '--format', [CompletionResultType]::ParameterName, 'Output format')
            [CompletionResult]::new('--color', '--color', [CompletionResultType]::ParameterName, 'When to colour human output (NO_COLOR is honoured with auto)')
            [CompletionResult]::new('-q', '-q', [CompletionResultType]::ParameterName, 'Print nothing but results, findings, blockers and errors (no status lines, notes, summaries or progress)')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'Print nothing but results, findings, blockers and errors (no status lines, notes, summaries or progress)')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('-V', '-V ', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('--version', '--version', [CompletionResultType]::ParameterName, 'Print version')
            break
        }
        'cfgctl;packs;activate' {
            [CompletionResult]::new('--approved-by', '--approved-by', [CompletionResultType]::ParameterName, 'Record an approval as an Approved-by trailer ("Name <email>"); repeatable')
            [CompletionResult]::new('--emergency', '--emergency', [CompletionResultType]::ParameterName, 'Write inside a freeze window or outside the allowed hours, recording why')
            [CompletionResult]::new('--reason', '--reason', [CompletionResultType]::ParameterName, 'Why the change is made, recorded as a Cfgctl-Reason trailer and shown by `log`')
            [CompletionResult]::new('-C', '-C ', [CompletionResultType]::ParameterName, 'Run as if started in DIR (the repository root is found from there)')
            [CompletionResult]::new('--format', '--format', [CompletionResultType]::ParameterName, 'Output format')
            [CompletionResult]::new('--color', '--color', [CompletionResultType]::ParameterName, 'When to colour human output (NO_COLOR is honoured with auto)')
            [CompletionResult]::new('--execute', '--execute', [CompletionResultType]::ParameterName, 'Make the change and commit it (without it, only the plan is shown)')
            [CompletionResult]::new('-q', '-q', [CompletionResultType]::ParameterName, 'Print nothing but results, findings, blockers and errors (no status lines, notes, summaries or progress)')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'Print nothing but results, findings, blockers and errors (no status lines, notes, summaries or progress)')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('-V', '-V ', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('--version', '--version', [CompletionResultType]::ParameterName, 'Print version')
            break
        }
        'cfgctl;packs;rollback' {
            [CompletionResult]::new('--approved-by', '--approved-by', [CompletionResultType]::ParameterName, 'Record an approval as an Approved-by trailer ("Name <email>"); repeatable')
            [CompletionResult]::new('--emergency', '--emergency', [CompletionResultType]::ParameterName, 'Write inside a freeze window or outside the allowed hours, recording why')
            [CompletionResult]::new('--reason', '--reason', [CompletionResultType]::ParameterName, 'Why the change is made, recorded as a Cfgctl-Reason trailer and shown by `log`')
            [CompletionResult]::new('-C', '-C ', [CompletionResultType]::ParameterName, 'Run as if started in DIR (the repository root is found from there)')
            [CompletionResult]::new('--format', '--format', [CompletionResultType]::ParameterName, 'Output format')
            [CompletionResult]::new('--color', '--color', [CompletionResultType]::ParameterName, 'When to colour human output (NO_COLOR is honoured with auto)')
            [CompletionResult]::new('--execute', '--execute', [CompletionResultType]::ParameterName, 'Make the change and commit it (without it, only the plan is shown)')
            [CompletionResult]::new('-q', '-q', [CompletionResultType]::ParameterName, 'Print nothing but results, findings, blockers and errors (no status lines, notes, summaries or progress)')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'Print nothing but results, findings, blockers and errors (no status lines, notes, summaries or progress)')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('-V', '-V ', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('--version', '--version', [CompletionResultType]::ParameterName, 'Print version')
            break
        }
        'cfgctl;packs;help' {
            [CompletionResult]::new('validate', 'validate', [CompletionResultType]::ParameterValue, 'Check packs: manifest, files, integrity, patterns, pack level (checks M1 … K6)')
            [CompletionResult]::new('release', 'release', [CompletionResultType]::ParameterValue, 'Write CHECKSUMS.sha256 and the digest, commit, and tag packs/PACK/vVERSION')
            [CompletionResult]::new('list', 'list', [CompletionResultType]::ParameterValue, 'List released versions from their tags, and where each is active')
            [CompletionResult]::new('verify', 'verify', [CompletionResultType]::ParameterValue, 'Recompute a release''s checksums and digest from its tag and compare')
            [CompletionResult]::new('activate', 'activate', [CompletionResultType]::ParameterValue, 'Make a released version the active one in an environment')
            [CompletionResult]::new('rollback', 'rollback', [CompletionResultType]::ParameterValue, 'Re-activate the version that was active before in an environment')
            [CompletionResult]::new('help', 'help', [CompletionResultType]::ParameterValue, 'Print this message or the help of the given subcommand(s)')
            break
        }
        'cfgctl;packs;help;validate' {
            break
        }
        'cfgctl;packs;help;release' {
            break
        }
        'cfgctl;packs;help;list' {
            break
        }
        'cfgctl;packs;help;verify' {
            break
        }
        'cfgctl;packs;help;activate' {
            break
        }
        'cfgctl;packs;help;rollback' {
            break
        }
        'cfgctl;packs;help;help' {
            break
        }
        'cfgctl;hooks' {
            [CompletionResult]::new('-C', '-C ', [CompletionResultType]::ParameterName, 'Run as if started in DIR (the repository root is found from there)')
            [CompletionResult]::new('--format', '--format', [CompletionResultType]::ParameterName, 'Output format')
            [CompletionResult]::new('--color', '--color', [CompletionResultType]::ParameterName, 'When to colour human output (NO_COLOR is honoured with auto)')
            [CompletionResult]::new('-q', '-q', [CompletionResultType]::ParameterName, 'Print nothing but results, findings, blockers and errors (no status lines, notes, summaries or progress)')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'Print nothing but results, findings, blockers and errors (no status lines, notes, summaries or progress)')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('-V', '-V ', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('--version', '--version', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('install', 'install', [CompletionResultType]::ParameterValue, 'Write Git hooks that run cfgctl (default: the pre-commit hook)')
            [CompletionResult]::new('uninstall', 'uninstall', [CompletionResultType]::ParameterValue, 'Remove the Git hooks cfgctl wrote, putting back chained ones (default: all of them)')
            [CompletionResult]::new('help', 'help', [CompletionResultType]::ParameterValue, 'Print this message or the help of the given subcommand(s)')
            break
        }
        'cfgctl;hooks;install' {
            [CompletionResult]::new('-C', '-C ', [CompletionResultType]::ParameterName, 'Run as if started in DIR (the repository root is found from there)')
            [CompletionResult]::new('--format', '--format', [CompletionResultType]::ParameterName, 'Output format')
            [CompletionResult]::new('--color', '--color', [CompletionResultType]::ParameterName, 'When to colour human output (NO_COLOR is honoured with auto)')
            [CompletionResult]::new('--pre-commit', '--pre-commit', [CompletionResultType]::ParameterName, 'Install the pre-commit hook: `cfgctl validate --staged` on what is being committed')
            [CompletionResult]::new('--pre-push', '--pre-push', [CompletionResultType]::ParameterName, 'Install the pre-push hook: `cfgctl validate --at` each commit being pushed')
            [CompletionResult]::new('--force', '--force', [CompletionResultType]::ParameterName, 'Overwrite a hook that cfgctl did not write (it is lost)')
            [CompletionResult]::new('--chain', '--chain', [CompletionResultType]::ParameterName, 'Keep a hook that cfgctl did not write, as <hook>.before-cfgctl, and run it first')
            [CompletionResult]::new('-q', '-q', [CompletionResultType]::ParameterName, 'Print nothing but results, findings, blockers and errors (no status lines, notes, summaries or progress)')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'Print nothing but results, findings, blockers and errors (no status lines, notes, summaries or progress)')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('-V', '-V ', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('--version', '--version', [CompletionResultType]::ParameterName, 'Print version')
            break
        }
        'cfgctl;hooks;uninstall' {
            [CompletionResult]::new('-C', '-C ', [CompletionResultType]::ParameterName, 'Run as if started in DIR (the repository root is found from there)')
            [CompletionResult]::new('--format', '--format', [CompletionResultType]::ParameterName, 'Output format')
            [CompletionResult]::new('--color', '--color', [CompletionResultType]::ParameterName, 'When to colour human output (NO_COLOR is honoured with auto)')
            [CompletionResult]::new('--pre-commit', '--pre-commit', [CompletionResultType]::ParameterName, 'Remove the pre-commit hook')
            [CompletionResult]::new('--pre-push', '--pre-push', [CompletionResultType]::ParameterName, 'Remove the pre-push hook')
            [CompletionResult]::new('--force', '--force', [CompletionResultType]::ParameterName, 'Remove a hook cfgctl wrote even if it was changed since')
            [CompletionResult]::new('-q', '-q', [CompletionResultType]::ParameterName, 'Print nothing but results, findings, blockers and errors (no status lines, notes, summaries or progress)')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'Print nothing but results, findings, blockers and errors (no status lines, notes, summaries or progress)')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('-V', '-V ', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('--version', '--version', [CompletionResultType]::ParameterName, 'Print version')
            break
        }
        'cfgctl;hooks;help' {
            [CompletionResult]::new('install', 'install', [CompletionResultType]::ParameterValue, 'Write Git hooks that run cfgctl (default: the pre-commit hook)')
            [CompletionResult]::new('uninstall', 'uninstall', [CompletionResultType]::ParameterValue, 'Remove the Git hooks cfgctl wrote, putting back chained ones (default: all of them)')
            [CompletionResult]::new('help', 'help', [CompletionResultType]::ParameterValue, 'Print this message or the help of the given subcommand(s)')
            break
        }
        'cfgctl;hooks;help;install' {
            break
        }
        'cfgctl;hooks;help;uninstall' {
            break
        }
        'cfgctl;hooks;help;help' {
            break
        }
        'cfgctl;completions' {
            [CompletionResult]::new('-C', '-C ', [CompletionResultType]::ParameterName, 'Run as if started in DIR (the repository root is found from there)')
            [CompletionResult]::new('--format', '--format', [CompletionResultType]::ParameterName, 'Output format')
            [CompletionResult]::new('--color', '--color', [CompletionResultType]::ParameterName, 'When to colour human output (NO_COLOR is honoured with auto)')
            [CompletionResult]::new('-q', '-q', [CompletionResultType]::ParameterName, 'Print nothing but results, findings, blockers and errors (no status lines, notes, summaries or progress)')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'Print nothing but results, findings, blockers and errors (no status lines, notes, summaries or progress)')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('-V', '-V ', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('--version', '--version', [CompletionResultType]::ParameterName, 'Print version')
            break
        }
        'cfgctl;man' {
            [CompletionResult]::new('--output-dir', '--output-dir', [CompletionResultType]::ParameterName, 'Write cfgctl.1 and one page per subcommand (cfgctl-validate.1, …) into DIR')
            [CompletionResult]::new('-C', '-C ', [CompletionResultType]::ParameterName, 'Run as if started in DIR (the repository root is found from there)')
            [CompletionResult]::new('--format', '--format', [CompletionResultType]::ParameterName, 'Output format')
            [CompletionResult]::new('--color', '--color', [CompletionResultType]::ParameterName, 'When to colour human output (NO_COLOR is honoured with auto)')
            [CompletionResult]::new('-q', '-q', [CompletionResultType]::ParameterName, 'Print nothing but results, findings, blockers and errors (no status lines, notes, summaries or progress)')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'Print nothing but results, findings, blockers and errors (no status lines, notes, summaries or progress)')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('-V', '-V ', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('--version', '--version', [CompletionResultType]::ParameterName, 'Print version')
            break
        }
        'cfgctl;help' {
            [CompletionResult]::new('init', 'init', [CompletionResultType]::ParameterValue, 'Create a configuration repository from the built-in template')
            [CompletionResult]::new('validate', 'validate', [CompletionResultType]::ParameterValue, 'Check configuration files against their schemas and the built-in rules')
            [CompletionResult]::new('render', 'render', [CompletionResultType]::ParameterValue, 'Print an environment''s configuration with every layer merged')
            [CompletionResult]::new('get', 'get', [CompletionResultType]::ParameterValue, 'Print one key of an environment''s rendered configuration, and where it came from')
            [CompletionResult]::new('set', 'set', [CompletionResultType]::ParameterValue, 'Set one key in a configuration file, keeping its comments and formatting')
            [CompletionResult]::new('unset', 'unset', [CompletionResultType]::ParameterValue, 'Remove one key from a configuration file, keeping its comments and formatting')
            [CompletionResult]::new('diff', 'diff', [CompletionResultType]::ParameterValue, 'Compare configuration key by key: environments, revisions, or files')
            [CompletionResult]::new('drift', 'drift', [CompletionResultType]::ParameterValue, 'Compare what the repository says an environment is with a deployed copy')
            [CompletionResult]::new('env', 'env', [CompletionResultType]::ParameterValue, 'The environments: list them in promotion order with what belongs to each')
            [CompletionResult]::new('promote', 'promote', [CompletionResultType]::ParameterValue, 'Copy configuration from one environment to the next, keeping pinned keys')
            [CompletionResult]::new('status', 'status', [CompletionResultType]::ParameterValue, 'Show each environment''s last change, last promotion and what is not promoted yet')
            [CompletionResult]::new('log', 'log', [CompletionResultType]::ParameterValue, 'Show the history of configuration changes, read from commits and their trailers')
            [CompletionResult]::new('blame', 'blame', [CompletionResultType]::ParameterValue, 'Per key of a rendered document: the commit, author and date that last changed its value')
            [CompletionResult]::new('rollback', 'rollback', [CompletionResultType]::ParameterValue, 'Undo commits, or restore an environment to a revision, as new commits')
            [CompletionResult]::new('flags', 'flags', [CompletionResultType]::ParameterValue, 'Feature flags in flagd format: validate, evaluate, explain, stage a rollout')
            [CompletionResult]::new('guard', 'guard', [CompletionResultType]::ParameterValue, 'Check health metrics against [guard.ENV] and roll back the newest change on a violation')
            [CompletionResult]::new('secrets', 'secrets', [CompletionResultType]::ParameterValue, 'Encrypt, decrypt and re-key secret files (SOPS format, age recipients)')
            [CompletionResult]::new('packs', 'packs', [CompletionResultType]::ParameterValue, 'Release, verify, activate and roll back attack packs (prompt-attack patterns)')
            [CompletionResult]::new('hooks', 'hooks', [CompletionResultType]::ParameterValue, 'Install Git hooks that run cfgctl (for teams without the pre-commit framework), or remove them')
            [CompletionResult]::new('completions', 'completions', [CompletionResultType]::ParameterValue, 'Print a shell completion script')
            [CompletionResult]::new('man', 'man', [CompletionResultType]::ParameterValue, 'Print the man page (or write every page to a directory)')
            [CompletionResult]::new('help', 'help', [CompletionResultType]::ParameterValue, 'Print this message or the help of the given subcommand(s)')
            break
        }
        'cfgctl;help;init' {
            break
        }
        'cfgctl;help;validate' {
            break
        }
        'cfgctl;help;render' {
            break
        }
        'cfgctl;help;get' {
            break
        }
        'cfgctl;help;set' {
            break
        }
        'cfgctl;help;unset' {
            break
        }
        'cfgctl;help;diff' {
            break
        }
        'cfgctl;help;drift' {
            break
        }
        'cfgctl;help;env' {
            [CompletionResult]::new('list', 'list', [CompletionResultType]::ParameterValue, 'List the environments in promotion order with their documents, secret files, flag file and active packs')
            [CompletionResult]::new('add', 'add', [CompletionResultType]::ParameterValue, 'Add an environment made from an existing one: its files copied, its secrets re-encrypted for the new recipients, every flag off; one commit (dry run unless --execute)')
            break
        }
        'cfgctl;help;env;list' {
            break
        }
        'cfgctl;help;env;add' {
            break
        }
        'cfgctl;help;promote' {
            break
        }
        'cfgctl;help;status' {
            break
        }
        'cfgctl;help;log' {
            break
        }
        'cfgctl;help;blame' {
            break
        }
        'cfgctl;help;rollback' {
            break
        }
        'cfgctl;help;flags' {
            [CompletionResult]::new('validate', 'validate', [CompletionResultType]::ParameterValue, 'Check flag files against the flagd schemas and cfgctl''s flag rules')
            [CompletionResult]::new('eval', 'eval', [CompletionResultType]::ParameterValue, 'Evaluate a flag for a context, as flagd does')
            [CompletionResult]::new('explain', 'explain', [CompletionResultType]::ParameterValue, 'Show why a flag evaluates as it does: the rule that matched, the bucketing key and hash')
            [CompletionResult]::new('stage', 'stage', [CompletionResultType]::ParameterValue, 'Move a flag to a rollout stage: disabled, canary, beta, staged, full (dry run unless --execute)')
            [CompletionResult]::new('bench', 'bench', [CompletionResultType]::ParameterValue, 'Evaluate many (flag, context) pairs in one process and print the rate')
            break
        }
        'cfgctl;help;flags;validate' {
            break
        }
        'cfgctl;help;flags;eval' {
            break
        }
        'cfgctl;help;flags;explain' {
            break
        }
        'cfgctl;help;flags;stage' {
            break
        }
        'cfgctl;help;flags;bench' {
            break
        }
        'cfgctl;help;guard' {
            break
        }
        'cfgctl;help;secrets' {
            [CompletionResult]::new('keygen', 'keygen', [CompletionResultType]::ParameterValue, 'Create an age identity where sops looks for it and print its public recipient')
            [CompletionResult]::new('encrypt', 'encrypt', [CompletionResultType]::ParameterValue, 'Encrypt a YAML, JSON or dotenv file for the recipients its .sops.yaml rule names')
            [CompletionResult]::new('decrypt', 'decrypt', [CompletionResultType]::ParameterValue, 'Decrypt a file (to stdout unless --in-place or --output)')
            [CompletionResult]::new('edit', 'edit', [CompletionResultType]::ParameterValue, 'Decrypt to a private temporary file, open $EDITOR, validate, re-encrypt')
            [CompletionResult]::new('set', 'set', [CompletionResultType]::ParameterValue, 'Set one value (encrypted if the file''s rule says so)')
            [CompletionResult]::new('unset', 'unset', [CompletionResultType]::ParameterValue, 'Remove one value')
            [CompletionResult]::new('get', 'get', [CompletionResultType]::ParameterValue, 'Print one decrypted value')
            [CompletionResult]::new('updatekeys', 'updatekeys', [CompletionResultType]::ParameterValue, 'Re-wrap data keys for the recipients .sops.yaml names now')
            [CompletionResult]::new('rotate', 'rotate', [CompletionResultType]::ParameterValue, 'Give files a new data key and re-encrypt every value')
            [CompletionResult]::new('list', 'list', [CompletionResultType]::ParameterValue, 'List the encrypted files: recipients, values, age (no key needed)')
            [CompletionResult]::new('check', 'check', [CompletionResultType]::ParameterValue, 'Check that what must be encrypted is, and that MACs verify (for pre-commit and CI)')
            [CompletionResult]::new('exec', 'exec', [CompletionResultType]::ParameterValue, 'Run a command with a file''s values as environment variables')
            [CompletionResult]::new('git-setup', 'git-setup', [CompletionResultType]::ParameterValue, 'Make Git merge encrypted files by key path and show them decrypted in `git diff`')
            [CompletionResult]::new('merge-driver', 'merge-driver', [CompletionResultType]::ParameterValue, 'Merge an encrypted file three-way by key path (Git''s merge driver; see git-setup)')
            [CompletionResult]::new('textconv', 'textconv', [CompletionResultType]::ParameterValue, 'Print an encrypted file decrypted, or masked without a key (Git''s textconv; see git-setup)')
            break
        }
        'cfgctl;help;secrets;keygen' {
            break
        }
        'cfgctl;help;secrets;encrypt' {
            break
        }
        'cfgctl;help;secrets;decrypt' {
            break
        }
        'cfgctl;help;secrets;edit' {
            break
        }
        'cfgctl;help;secrets;set' {
            break
        }
        'cfgctl;help;secrets;unset' {
            break
        }
        'cfgctl;help;secrets;get' {
            break
        }
        'cfgctl;help;secrets;updatekeys' {
            break
        }
        'cfgctl;help;secrets;rotate' {
            break
        }
        'cfgctl;help;secrets;list' {
            break
        }
        'cfgctl;help;secrets;check' {
            break
        }
        'cfgctl;help;secrets;exec' {
            break
        }
        'cfgctl;help;secrets;git-setup' {
            break
        }
        'cfgctl;help;secrets;merge-driver' {
            break
        }
        'cfgctl;help;secrets;textconv' {
            break
        }
        'cfgctl;help;packs' {
            [CompletionResult]::new('validate', 'validate', [CompletionResultType]::ParameterValue, 'Check packs: manifest, files, integrity, patterns, pack level (checks M1 … K6)')
            [CompletionResult]::new('release', 'release', [CompletionResultType]::ParameterValue, 'Write CHECKSUMS.sha256 and the digest, commit, and tag packs/PACK/vVERSION')
            [CompletionResult]::new('list', 'list', [CompletionResultType]::ParameterValue, 'List released versions from their tags, and where each is active')
            [CompletionResult]::new('verify', 'verify', [CompletionResultType]::ParameterValue, 'Recompute a release''s checksums and digest from its tag and compare')
            [CompletionResult]::new('activate', 'activate', [CompletionResultType]::ParameterValue, 'Make a released version the active one in an environment')
            [CompletionResult]::new('rollback', 'rollback', [CompletionResultType]::ParameterValue, 'Re-activate the version that was active before in an environment')
            break
        }
        'cfgctl;help;packs;validate' {
            break
        }
        'cfgctl;help;packs;release' {
            break
        }
        'cfgctl;help;packs;list' {
            break
        }
        'cfgctl;help;packs;verify' {
            break
        }
        'cfgctl;help;packs;activate' {
            break
        }
        'cfgctl;help;packs;rollback' {
            break
        }
        'cfgctl;help;hooks' {
            [CompletionResult]::new('install', 'install', [CompletionResultType]::ParameterValue, 'Write Git hooks that run cfgctl (default: the pre-commit hook)')
            [CompletionResult]::new('uninstall', 'uninstall', [CompletionResultType]::ParameterValue, 'Remove the Git hooks cfgctl wrote, putting back chained ones (default: all of them)')
            break
        }
        'cfgctl;help;hooks;install' {
            break
        }
        'cfgctl;help;hooks;uninstall' {
            break
        }
        'cfgctl;help;completions' {
            break
        }
        'cfgctl;help;man' {
            break
        }
        'cfgctl;help;help' {
            break
        }
    })

    $completions.Where{ $_.CompletionText -like "$wordToComplete*" } |
        Sort-Object -Property ListItemText
}
