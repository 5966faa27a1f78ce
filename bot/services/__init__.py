"""Services: what the application does with its data, free of any channel or of Rasa."""
