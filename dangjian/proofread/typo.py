def find_typos(text):
    return []
