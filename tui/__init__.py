"""The Textual app of roi. Only `roi` (no command) and `roi demo` import it."""
