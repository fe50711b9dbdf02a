"""Architecture layer (built in a later issue; see DESIGN.md)."""
