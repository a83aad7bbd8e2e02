"""Reference tables and bundled sample documents, installed as the package ``kg.data``.

This folder stays at the top of the repository (people edit the tables here), and setuptools
maps it into the package (``package_dir``), so a wheel or ``pip install .`` carries it too.
Code reaches it only through :mod:`kg.paths`.
"""
