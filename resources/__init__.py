"""Data files: boilerplate rules, the jieba user dictionary, the style sheet, icons."""
