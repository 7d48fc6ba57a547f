import StackFile
print("stack")
