pub fn unquote(text: &str, _escape: char) -> String {
    text.to_string()
}
