"""Fixture generators and NumPy reference mirrors for the hinge-conformance Swift package.

`fixture` holds everything format-related (encoding, case building, writing, checking);
`suites` holds one generator module per framework and the registry of suite names.
The command-line driver is tools/generate_fixtures.py.
"""
