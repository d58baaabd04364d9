"""regbook: the publishing system behind 吉林省国防动员办公室's regulations site."""

__version__ = "0.1.0"
