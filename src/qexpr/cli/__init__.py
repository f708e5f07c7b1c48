"""The ``qexpr`` command line."""
