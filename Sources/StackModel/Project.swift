import StackCore
