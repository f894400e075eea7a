"""Helpers several test modules share, imported as ``support.<module>``.

tests/ is not a package: pytest puts this folder on the path for tests/conftest.py (its
default prepend import mode), so every test module below it can import ``support``.
Fixtures stay in tests/conftest.py; what a test needs at import time (a class to subclass,
a stand-in built in a module-level helper) lives here.
"""
