# Day first and a 24-hour clock, as Arabic news sites write them: "20 مارس 2024، 09:05".
DATE_FORMAT = "j F Y"
DATETIME_FORMAT = "j F Y، H:i"
TIME_FORMAT = "H:i"
