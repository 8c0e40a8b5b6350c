"""govoffice serve: the office's commands and queries over HTTP (needs govoffice[http])."""
