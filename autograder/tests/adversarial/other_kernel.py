"""Claim another kernel (bash) in the notebook's metadata, whose "tests" cannot raise Python errors."""


def build(nb):
    nb.metadata["kernelspec"] = {"name": "bash", "display_name": "Bash", "language": "bash"}
    nb.metadata["language_info"] = {"name": "bash"}
    return nb
