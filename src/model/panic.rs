//! Reading a caught panic: tch's panicking methods (which rust-bert's layers use) report a
//! libtorch error as a panic; inference turns it back into an error.

/// The text a panic was raised with (`""` when it is not a string).
pub fn panic_text(payload: &(dyn std::any::Any + Send)) -> &str {
    payload
        .downcast_ref::<String>()
        .map(String::as_str)
        .or_else(|| payload.downcast_ref::<&str>().copied())
        .unwrap_or("")
}

/// Whether a panic is tch's report of a libtorch error (which inference turns into an error).
pub fn is_libtorch_panic(payload: &(dyn std::any::Any + Send)) -> bool {
    panic_text(payload).contains("Torch(\"")
}

/// The message of a caught panic (for tch's panics, libtorch's message).
pub(super) fn panic_message(payload: &(dyn std::any::Any + Send)) -> String {
    let text = match panic_text(payload) {
        "" => "unknown panic",
        t => t,
    };
    // tch panics with `…: Torch("<libtorch's message>\nException raised from … <C++ frames>")`
    // (escaped): keep libtorch's message.
    if let Some((_, rest)) = text.split_once("Torch(\"") {
        let end = [rest.find("\\n"), rest.find("\")")]
            .into_iter()
            .flatten()
            .min()
            .unwrap_or(rest.len());
        return rest[..end].to_string();
    }
    text.lines().next().unwrap_or(text).to_string()
}
