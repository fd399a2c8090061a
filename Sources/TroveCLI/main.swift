print("trove: under construction")
