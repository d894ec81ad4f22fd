def find_formulations(text, date):
    return []
