"""Countries, organisations, people and the networks they form."""
