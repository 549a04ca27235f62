"""textmend: repair scraped, machine-translated news text, with a replayable change log.

    >>> import textmend
    >>> c = textmend.Cleaner()
    >>> c.clean("Sales rose , the firm said .")["text"]
    'Sales rose, the firm said.'

``textmend.ray`` (needs ``ray[data]``) cleans a column of a Ray Dataset.
"""

from ._textmend import Cleaner, __version__

__all__ = ["Cleaner", "__version__"]
