"""The ontology, SHACL shapes and SKOS schemes, installed as the package ``kg.ontology``.

This folder stays at the top of the repository and setuptools maps it into the package
(``package_dir``). Code reaches it only through :mod:`kg.paths`.
"""
