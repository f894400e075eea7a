"""API: the HTTP app, the answer service and the ``planqa`` command line."""
