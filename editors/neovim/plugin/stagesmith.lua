if vim.g.loaded_stagesmith then
  return
end
vim.g.loaded_stagesmith = true

vim.filetype.add(require('stagesmith').filetype_rules)
