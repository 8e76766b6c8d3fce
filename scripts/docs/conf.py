# Sphinx configuration of 'make docs': the kernel's own Documentation/conf.py
# (read from the overlaid tree in $KSRC), minus the extensions that need the
# whole Documentation/ tree, with kernel-doc run on $KSRC.
# pylint: disable=exec-used,undefined-variable,invalid-name
import os
import sys

ksrc = os.environ['KSRC']
here = os.getcwd()
os.chdir(os.path.join(ksrc, 'Documentation'))
try:
    with open('conf.py', encoding='utf-8') as kconf:
        exec(compile(kconf.read(), os.path.abspath('conf.py'), 'exec'))
finally:
    os.chdir(here)

sys.path.insert(0, os.path.join(ksrc, 'Documentation', 'sphinx'))
# kfigure, kernel_abi, kernel_feat, maintainers_include and translations
# read files of the whole tree or tools (dot) the project pages do not use.
extensions = [e for e in extensions
              if e not in ('kfigure', 'kernel_abi', 'kernel_feat',
                           'maintainers_include', 'translations')]
kerneldoc_bin = os.path.join(ksrc, 'scripts', 'kernel-doc')
kerneldoc_srctree = ksrc
project = 'DRM GPU scheduler and virtio-gpu'
html_theme = 'alabaster'
html_logo = None
html_static_path = []
html_css_files = []
html_sidebars = {}
templates_path = []
latex_documents = []
