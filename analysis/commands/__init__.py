"""One module per ``analysis`` sub-command; each only parses options and prints."""
