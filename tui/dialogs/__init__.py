"""Modal dialogs (ModalScreen): confirm, the forms, flags, report export, settings."""
