cmd = 'echo ${HOME} ${path.cwd}'
