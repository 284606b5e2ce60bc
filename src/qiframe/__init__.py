"""qiframe: self-evaluation against quality-indicator frameworks."""

__version__ = "0.1.0"
