# "20 mars 2024, 09:05" (month names are lower-cased by the edition_date filter).
DATE_FORMAT = "j F Y"
DATETIME_FORMAT = "j F Y, H:i"
TIME_FORMAT = "H:i"
