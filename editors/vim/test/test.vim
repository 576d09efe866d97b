" Headless test of the ALE recipe against the real server:
"   STAGESMITH_SERVER=/path/to/stagesmith vim -N -u NONE -i NONE -n -es -S editors/vim/test/test.vim
" ALE comes from $ALE_DIR (default: Debian's vim-ale in /usr/share/vim-ale). One TAP line per check on
" stdout; exits non-zero if any failed.
set nocompatible
let s:editors = fnamemodify(expand('<sfile>:p:h'), ':h:h')
let s:ale_dir = empty($ALE_DIR) ? '/usr/share/vim-ale' : $ALE_DIR
let s:timeout_ms = empty($STAGESMITH_TEST_TIMEOUT_MS) ? 15000 : str2nr($STAGESMITH_TEST_TIMEOUT_MS)
let s:passed = 0
let s:failed = 0

function! s:Print(line) abort
  call writefile([a:line], '/dev/stdout', 'a')
endfunction

function! s:Check(name, function) abort
  try
    call call(a:function, [])
    let s:passed += 1
    call s:Print('ok - vim ale: ' . a:name)
    return 1
  catch
    let s:failed += 1
    call s:Print('not ok - vim ale: ' . a:name . ': ' . substitute(v:exception, '\n', ' ', 'g'))
    return 0
  endtry
endfunction

function! s:Finish() abort
  call s:Print(printf('# vim ale: %d checks passed, %d failed', s:passed, s:failed))
  if s:failed == 0 && s:passed > 0
    qall!
  endif
  cquit!
endfunction

function! s:WaitFor(what, condition) abort
  let l:waited = 0
  while !call(a:condition, [])
    if l:waited >= s:timeout_ms
      throw printf('timed out after %d ms waiting for %s', s:timeout_ms, a:what)
    endif
    sleep 20m
    let l:waited += 20
  endwhile
endfunction

function! s:Diagnostic(code) abort
  for l:item in ale#engine#GetLoclist(bufnr(''))
    if get(l:item, 'code', '') is# a:code && get(l:item, 'linter_name', '') is# 'stagesmith'
      return l:item
    endif
  endfor
  return {}
endfunction

if empty($STAGESMITH_SERVER) || !executable($STAGESMITH_SERVER)
  call s:Check('STAGESMITH_SERVER is set', {-> execute('throw "set STAGESMITH_SERVER to the stagesmith binary"')})
  call s:Finish()
endif

let &runtimepath = join([s:ale_dir, s:editors . '/vim', &runtimepath, s:ale_dir . '/after'], ',')
filetype plugin on
runtime plugin/ale.vim
runtime ftdetect/stagesmith.vim
let g:ale_linters = {'dockerfile': ['stagesmith']}
let g:ale_dockerfile_stagesmith_executable = $STAGESMITH_SERVER
let g:ale_dockerfile_stagesmith_config = {'rules': {'FromAsCasing': 'error'}}

let s:project = tempname()
call mkdir(s:project, 'p')
for s:name in ['Containerfile', '.dockerignore']
  call writefile(readfile(s:editors . '/test-fixture/' . s:name, 'b'), s:project . '/' . s:name, 'b')
endfor
execute 'edit ' . fnameescape(s:project . '/Containerfile')

function! s:Attaches() abort
  if &filetype isnot# 'dockerfile'
    throw 'Containerfile has filetype ' . &filetype
  endif
  let l:root = ale_linters#dockerfile#stagesmith#ProjectRoot(bufnr(''))
  if resolve(l:root) isnot# resolve(s:project)
    throw 'project root ' . l:root . ', expected ' . s:project
  endif
endfunction
call s:Check('file type and project root', function('s:Attaches'))

function! s:Diagnostics() abort
  ALELint
  " The first diagnostics may predate the configuration reaching the server: wait for the configured
  " severity rather than judging the first publish.
  try
    call s:WaitFor('FromAsCasing reported as an error', {-> get(s:Diagnostic('FromAsCasing'), 'type', '') is# 'E'})
  catch
    let l:item = s:Diagnostic('FromAsCasing')
    throw empty(l:item) ? v:exception : 'FromAsCasing has type ' . l:item.type . ', the configured error never arrived'
  endtry
  let l:item = s:Diagnostic('FromAsCasing')
  if l:item.lnum != 2
    throw 'FromAsCasing on line ' . l:item.lnum
  endif
endfunction
call s:Check('diagnostics arrive, with the configured severity', function('s:Diagnostics'))

function! s:Definition() abort
  call cursor(8, 15)
  call ale#definition#GoTo({})
  call s:WaitFor('the cursor to jump to the build stage', {-> line('.') == 2})
  if expand('<cword>') isnot# 'build'
    throw 'cursor on ' . expand('<cword>')
  endif
endfunction
call s:Check('go to definition of a --from stage', function('s:Definition'))

let s:menu = {}
function! s:OnCodeActionMenu(data, items) abort
  let s:menu = {'data': a:data, 'items': a:items}
endfunction

function! s:CodeAction() abort
  let l:item = s:Diagnostic('FromAsCasing')
  if empty(l:item)
    throw 'no FromAsCasing diagnostic to fix'
  endif
  call cursor(l:item.lnum, l:item.col)
  call ale#codefix#Execute(0, function('s:OnCodeActionMenu'))
  call s:WaitFor('code actions', {-> !empty(s:menu)})
  let l:chosen = {}
  for l:action in map(copy(s:menu.items), 'v:val[1]')
    for l:fixed in get(l:action, 'diagnostics', [])
      if get(l:fixed, 'code', '') is# 'FromAsCasing' && empty(l:chosen)
        let l:chosen = l:action
      endif
    endfor
  endfor
  if empty(l:chosen)
    throw 'no quick fix among ' . string(map(copy(s:menu.items), 'v:val[0]'))
  endif
  call ale#codefix#ApplyLSPCodeAction(s:menu.data, l:chosen)
  if getline(2) isnot# 'FROM golang:1.22 AS build'
    throw 'line 2 is now ' . string(getline(2))
  endif
  ALELint
  call s:WaitFor('FromAsCasing to clear after the fix', {-> empty(s:Diagnostic('FromAsCasing'))})
endfunction
call s:Check('quick fix for FromAsCasing applies', function('s:CodeAction'))

let s:completion = v:null
function! s:OnCompletion(response) abort
  let s:completion = a:response
endfunction

" ALE's completion menu needs insert mode, which a headless Vim never enters: send the request over
" ALE's connection to the server instead.
function! s:Completion() abort
  call append(line('$'), 'COPY --from=')
  ALELint
  sleep 300m
  let l:line = line('$')
  call ale#lsp_linter#SendRequest(bufnr(''), 'stagesmith',
  \ ale#lsp#message#Completion(bufnr(''), l:line, len(getline(l:line)) + 1, ''),
  \ function('s:OnCompletion'))
  call s:WaitFor('completion', {-> s:completion isnot v:null})
  if has_key(s:completion, 'error')
    throw 'completion failed: ' . string(s:completion.error)
  endif
  let l:result = get(s:completion, 'result', [])
  let l:items = type(l:result) == v:t_dict ? get(l:result, 'items', []) : l:result
  let l:labels = map(copy(l:items), 'v:val.label')
  if index(l:labels, 'build') < 0
    throw 'no "build" in ' . string(l:labels)
  endif
  if index(l:labels, 'runtime') >= 0
    throw 'the current stage "runtime" was offered: ' . string(l:labels)
  endif
endfunction
call s:Check('completion after COPY --from= offers earlier stages only', function('s:Completion'))

call s:Finish()
