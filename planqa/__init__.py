"""planqa: retrieval Q&A over Japanese plan documents that cites plan pages.

The pipeline lives in the top-level packages ``ingest``, ``index`` and ``api``; this
package holds what they share: the one settings object.
"""

from planqa.settings import Settings, get_settings

__all__ = ["Settings", "get_settings"]
__version__ = "0.1.0"
