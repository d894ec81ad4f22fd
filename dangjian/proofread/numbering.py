def find_numbering(text):
    return []
