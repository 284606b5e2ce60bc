"""Reading records into an evaluation from spreadsheets people keep elsewhere."""
