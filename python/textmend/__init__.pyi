from ._textmend import Cleaned as Cleaned, Cleaner as Cleaner, Edit as Edit, Flag as Flag, Scan as Scan, __version__ as __version__
