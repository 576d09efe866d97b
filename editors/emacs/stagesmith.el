;;; stagesmith.el --- Eglot setup for the stagesmith Dockerfile language server  -*- lexical-binding: t; -*-

;; Package-Requires: ((emacs "28.1") (eglot "1.9"))

;;; Commentary:

;; Registers `stagesmith lsp' with Eglot for `dockerfile-mode' (package dockerfile-mode) and
;; `dockerfile-ts-mode' (Emacs 29+), opens Containerfile / *.Dockerfile / Dockerfile.* files in
;; `dockerfile-mode', and lets a `.stagesmith.toml' or `.dockerignore' mark the project root of a
;; Dockerfile outside version control.
;;
;;   (load "/path/to/stagesmith/editors/emacs/stagesmith.el")
;;   (add-hook 'dockerfile-mode-hook #'eglot-ensure)
;;
;; Rule severities go to the server through `eglot-workspace-configuration', e.g. in .dir-locals.el:
;;   ((nil . ((eglot-workspace-configuration
;;             . (:stagesmith (:rules (:UnusedStage "off" :FinalStageRunsAsRoot "error")))))))

;;; Code:

(require 'eglot)
(require 'project)
(require 'seq)

(defgroup stagesmith nil
  "The stagesmith language server for Dockerfiles."
  :group 'tools)

(defcustom stagesmith-command '("stagesmith" "lsp")
  "Command line that starts the stagesmith language server."
  :type '(repeat string))

(defconst stagesmith-major-modes '(dockerfile-mode dockerfile-ts-mode)
  "Major modes in which Eglot uses stagesmith.")

(defconst stagesmith-root-markers '(".stagesmith.toml" ".dockerignore")
  "Files that mark a Dockerfile project's root when it is not under version control.")

(dolist (pattern '("\\(?:\\`\\|/\\)Containerfile\\(?:\\.[^/]*\\)?\\'"
                   "\\(?:\\`\\|/\\)Dockerfile\\.[^/]*\\'"
                   "\\.[Dd]ockerfile\\'"))
  (add-to-list 'auto-mode-alist (cons pattern 'dockerfile-mode)))

;; A function rather than the list itself, so that customizing `stagesmith-command' takes effect
;; for the next server Eglot starts.
(add-to-list 'eglot-server-programs
             `(,(mapcar (lambda (mode) (list mode :language-id "dockerfile")) stagesmith-major-modes)
               . ,(lambda (&optional _interactive) stagesmith-command)))

(defun stagesmith-project-find (directory)
  "Project for a Dockerfile in DIRECTORY marked by `stagesmith-root-markers'.
Only for Dockerfile buffers, and after version control had its say (see `project-find-functions')."
  (when (memq major-mode stagesmith-major-modes)
    (let ((root (seq-some (lambda (marker) (locate-dominating-file directory marker))
                          stagesmith-root-markers)))
      (and root (cons 'transient (expand-file-name root))))))

(add-hook 'project-find-functions #'stagesmith-project-find 90)

(provide 'stagesmith)
;;; stagesmith.el ends here
