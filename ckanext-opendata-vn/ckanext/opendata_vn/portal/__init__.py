"""What a citizen sees first: the home page figures, the dataset page's preview,
downloads and API snippets, and the developer page ("Dành cho nhà phát triển")."""

PUBLIC = ()
