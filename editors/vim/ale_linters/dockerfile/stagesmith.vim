" ALE linter for the stagesmith language server (diagnostics, go to definition, completion, code actions).
" Options:
"   g:ale_dockerfile_stagesmith_executable  the binary (default 'stagesmith')
"   g:ale_dockerfile_stagesmith_config      settings sent to the server, e.g.
"                                           {'rules': {'UnusedStage': 'off', 'FinalStageRunsAsRoot': 'error'}}

call ale#Set('dockerfile_stagesmith_executable', 'stagesmith')
call ale#Set('dockerfile_stagesmith_config', {})

" The nearest directory upwards holding a root marker, else the file's own directory.
function! ale_linters#dockerfile#stagesmith#ProjectRoot(buffer) abort
    let l:candidates = [ale#path#FindNearestDirectory(a:buffer, '.git')]
    for l:marker in ['.stagesmith.toml', '.dockerignore']
        let l:found = ale#path#FindNearestFile(a:buffer, l:marker)
        call add(l:candidates, empty(l:found) ? '' : fnamemodify(l:found, ':h'))
    endfor
    " FindNearestDirectory returns the '.git' directory itself (with a trailing slash).
    let l:candidates[0] = empty(l:candidates[0]) ? '' : fnamemodify(l:candidates[0], ':h:h')
    let l:roots = sort(filter(l:candidates, '!empty(v:val)'), {a, b -> len(b) - len(a)})
    return empty(l:roots) ? expand('#' . a:buffer . ':p:h') : l:roots[0]
endfunction

call ale#linter#Define('dockerfile', {
\   'name': 'stagesmith',
\   'lsp': 'stdio',
\   'executable': {buffer -> ale#Var(buffer, 'dockerfile_stagesmith_executable')},
\   'command': '%e lsp',
\   'project_root': function('ale_linters#dockerfile#stagesmith#ProjectRoot'),
\   'lsp_config': {buffer -> {'stagesmith': ale#Var(buffer, 'dockerfile_stagesmith_config')}},
\})
