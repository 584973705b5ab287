"""The site's configuration: ``config.toml`` read into a frozen, typed ``Config``.

``model`` holds the dataclasses and defaults, ``schema`` the checks of every
key, ``load`` reads a file through them; ``toml_lines`` finds the line of a
key for error messages, ``themes`` where a theme name leads.
"""

from generator.config.load import load_config, parse_config
from generator.config.model import CONFIG_NAME, AuthorProfile, Config, MarkdownSettings

__all__ = ["CONFIG_NAME", "AuthorProfile", "Config", "MarkdownSettings", "load_config", "parse_config"]
