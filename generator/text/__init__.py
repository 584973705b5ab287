"""Text with no knowledge of the site: slugs, plain text from HTML, typography."""
