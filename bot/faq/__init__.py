"""The FAQ, in one place: the knowledge base, its engine, its reloads and its evaluation.

- ``entries``: knowledge/'s Markdown entries, checked, and the reply each one sends;
- ``engine``: which entry answers a question (fitted from the entries in seconds);
- ``live``: the engine in use in the action server, refitted when knowledge/ changes;
- ``reloads``: reloads asked by staff or the CLI, and their outcomes (database);
- ``training_data``: Rasa's NLU files as the FAQ reads them, and DIET's routing sample;
- ``evaluation``: accuracy on unseen questions (``make eval``).
"""
