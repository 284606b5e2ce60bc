"""The command-line layer: parses options, calls the core, renders results. No domain logic here."""
