"""Languages: the site's locale, its gettext catalogues, and dates and numbers in its language.

A site's ``language`` picks a CLDR locale (through Babel). Theme strings are
gettext messages: each theme ships ``locale/<lang>/LC_MESSAGES/messages.po``,
and a site's own ``locale/`` folder overrides any of them. Dates, month names
and list joins come from CLDR, so they follow the language without a
catalogue.
"""
