" Dockerfile names that Vim's own filetype detection may not know (depends on the Vim version).
autocmd BufNewFile,BufRead Containerfile,Containerfile.*,*.Dockerfile,*.dockerfile,Dockerfile.* setfiletype dockerfile
