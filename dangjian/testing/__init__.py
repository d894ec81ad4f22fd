"""Test support shared by every app's tests: factories (``factories``) and the frozen day (``clock``).

Nothing here is imported by the application itself.
"""
