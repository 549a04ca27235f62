from typing import Any, Dict, List, Optional, TypedDict

__version__: str

class Edit(TypedDict):
    rule: str
    also: List[str]
    kind: str
    start: int
    """Code-point offset in the input (a Python string index)."""
    end: int
    byte_start: int
    """UTF-8 byte offset in the input (as in the CLI change log)."""
    byte_end: int
    before: str
    """The input text at ``start:end``."""
    after: str
    confidence: str

class Flag(TypedDict):
    rule: str
    kind: str
    start: int
    end: int
    out_start: int
    """Code-point offset in the cleaned text."""
    out_end: int
    text: str
    message: str
    confidence: str
    suggestion: Optional[str]

class Cleaned(TypedDict):
    text: str
    edits: List[Edit]
    flags: List[Flag]
    metadata: Dict[str, str]
    lang: str
    artifact_score: float
    passes: int

class Scan(TypedDict):
    lang: str
    lang_confidence: float
    script: str
    artifact_score: float
    zh_en: bool
    findings: Dict[str, int]
    """Repairs ``clean`` would make, per artifact kind."""
    flags: Dict[str, int]
    """Artifacts ``clean`` would flag and leave, per kind."""
    n_edits: int
    n_flags: int

class Cleaner:
    def __init__(self, config: Optional[Dict[str, Any]] = None) -> None: ...
    @property
    def config(self) -> Dict[str, Any]: ...
    def rules(self) -> List[str]: ...
    def clean(self, text: str) -> Cleaned: ...
    def clean_batch(self, texts: List[str]) -> List[Cleaned]: ...
    def scan(self, text: str) -> Scan: ...
    def __reduce__(self) -> Any: ...
