x = """${file("/etc/passwd")}"""
