# The old site writes dates as "April 7, 2021" and times as "22:58".
DATE_FORMAT = "F j, Y"
DATETIME_FORMAT = "F j, Y - H:i"
TIME_FORMAT = "H:i"
