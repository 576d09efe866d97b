//! Language Server Protocol glue: the only module that knows LSP types.
