"""Certificates: designs, issuance, PDFs, public verification, suspension and revocation."""

import logging

# pikepdf announces itself at INFO level when first imported (also in worker processes).
logging.getLogger("pikepdf").setLevel(logging.WARNING)
