"""What the tests share: helpers that make data, start servers and read pages, by topic.

The rule: a test module imports helpers from here, or gets fixtures from a conftest.py
(tests/conftest.py, tests/e2e/conftest.py); it never imports from another test module, so that
a test module reads as the code does and can be moved or deleted on its own
(tests/test_suite_rules.py checks it). ``services`` and ``sites`` are also pytest plugins
(tests/conftest.py's ``pytest_plugins``): their fixtures reach every test.
"""
