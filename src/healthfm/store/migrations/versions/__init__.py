"""One file per catalog schema revision, oldest first."""
