"""Analysis of numbers and records: quantity words, record sheets (records) and survey results (surveys)."""
